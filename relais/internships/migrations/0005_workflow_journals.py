"""The workflows of the pôles de stages on ``core.workflow`` (ADR 0007): the journals
``OfferJournal`` (PROTECT: an offer cannot be deleted behind its journal), ``CaseJournal``,
``ProposalJournal`` and ``SuggestionJournal`` (CASCADE: minors' data, removed by the purge
only), whose rows the database refuses to update or delete (triggers); the engine's
suggestion's ``status`` becomes ``state``, checked by the database.

The old journals (``OfferTransition``, ``CaseStep``) are copied by 0006, then dropped by
0007. Proposals and suggestions had no journal: theirs starts now (no invented history).
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('internships', '0004_list_order_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OfferJournal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=30, verbose_name='étape')),
                ('from_state', models.CharField(blank=True, max_length=30, verbose_name='de')),
                ('to_state', models.CharField(max_length=30, verbose_name='vers')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='le')),
                ('by_name', models.CharField(blank=True, max_length=150, verbose_name='par (nom)')),
                ('note', models.TextField(blank=True, verbose_name='motif')),
                ('data', models.JSONField(blank=True, default=dict)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('offer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='journal', to='internships.internshipoffer', verbose_name='offre')),
            ],
            options={
                'verbose_name': "étape d'une offre de stage",
                'verbose_name_plural': 'journal des offres de stage',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='CaseJournal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=30, verbose_name='étape')),
                ('from_state', models.CharField(blank=True, max_length=30, verbose_name='de')),
                ('to_state', models.CharField(max_length=30, verbose_name='vers')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='le')),
                ('by_name', models.CharField(blank=True, max_length=150, verbose_name='par (nom)')),
                ('note', models.TextField(blank=True, verbose_name='motif')),
                ('data', models.JSONField(blank=True, default=dict)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal', to='internships.placementcase', verbose_name='dossier')),
            ],
            options={
                'verbose_name': "étape d'un dossier",
                'verbose_name_plural': 'journal des dossiers',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ProposalJournal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=30, verbose_name='étape')),
                ('from_state', models.CharField(blank=True, max_length=30, verbose_name='de')),
                ('to_state', models.CharField(max_length=30, verbose_name='vers')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='le')),
                ('by_name', models.CharField(blank=True, max_length=150, verbose_name='par (nom)')),
                ('note', models.TextField(blank=True, verbose_name='motif')),
                ('data', models.JSONField(blank=True, default=dict)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal', to='internships.proposal', verbose_name='proposition')),
            ],
            options={
                'verbose_name': "étape d'une proposition de stage",
                'verbose_name_plural': 'journal des propositions de stage',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='SuggestionJournal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('transition', models.CharField(max_length=30, verbose_name='étape')),
                ('from_state', models.CharField(blank=True, max_length=30, verbose_name='de')),
                ('to_state', models.CharField(max_length=30, verbose_name='vers')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='le')),
                ('by_name', models.CharField(blank=True, max_length=150, verbose_name='par (nom)')),
                ('note', models.TextField(blank=True, verbose_name='motif')),
                ('data', models.JSONField(blank=True, default=dict)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='journal', to='internships.suggestion', verbose_name='suggestion')),
            ],
            options={
                'verbose_name': "étape d'une suggestion de placement",
                'verbose_name_plural': 'journal des suggestions de placement',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.RenameField(
            model_name='suggestion',
            old_name='status',
            new_name='state',
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='state',
            field=models.CharField(choices=[('pending', 'À examiner'), ('sent', 'Proposition envoyée'), ('discarded', 'Écartée')], default='pending', max_length=10, verbose_name='suite'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'sent', 'discarded'])), name='suggestion_state_valid'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='casejournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."at" IS DISTINCT FROM (NEW."at") OR OLD."by_name" IS DISTINCT FROM (NEW."by_name") OR OLD."case_id" IS DISTINCT FROM (NEW."case_id") OR OLD."data" IS DISTINCT FROM (NEW."data") OR OLD."from_state" IS DISTINCT FROM (NEW."from_state") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."note" IS DISTINCT FROM (NEW."note") OR OLD."to_state" IS DISTINCT FROM (NEW."to_state") OR OLD."transition" IS DISTINCT FROM (NEW."transition"))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='235070179a7e17a7e82a8f58d12b1ef75da44440', operation='UPDATE', pgid='pgtrigger_journal_no_update_4925a', table='internships_casejournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='casejournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='c56e2f2686965a54208ad426db84f030aca0a7f8', operation='DELETE', pgid='pgtrigger_journal_no_delete_2d54a', table='internships_casejournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='offerjournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."at" IS DISTINCT FROM (NEW."at") OR OLD."by_name" IS DISTINCT FROM (NEW."by_name") OR OLD."data" IS DISTINCT FROM (NEW."data") OR OLD."from_state" IS DISTINCT FROM (NEW."from_state") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."note" IS DISTINCT FROM (NEW."note") OR OLD."offer_id" IS DISTINCT FROM (NEW."offer_id") OR OLD."to_state" IS DISTINCT FROM (NEW."to_state") OR OLD."transition" IS DISTINCT FROM (NEW."transition"))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='cdb2e241cd188a8aa69252fabca992efc7ab27b7', operation='UPDATE', pgid='pgtrigger_journal_no_update_0813e', table='internships_offerjournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='offerjournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='2e3e29a5032f0f2504560c4ce3bc125f4ebad6fa', operation='DELETE', pgid='pgtrigger_journal_no_delete_0beb9', table='internships_offerjournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='proposaljournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."at" IS DISTINCT FROM (NEW."at") OR OLD."by_name" IS DISTINCT FROM (NEW."by_name") OR OLD."data" IS DISTINCT FROM (NEW."data") OR OLD."from_state" IS DISTINCT FROM (NEW."from_state") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."note" IS DISTINCT FROM (NEW."note") OR OLD."proposal_id" IS DISTINCT FROM (NEW."proposal_id") OR OLD."to_state" IS DISTINCT FROM (NEW."to_state") OR OLD."transition" IS DISTINCT FROM (NEW."transition"))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='9fe421d517349c7d9bc9eaaed9b2a32d54f5f0fa', operation='UPDATE', pgid='pgtrigger_journal_no_update_69ea0', table='internships_proposaljournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='proposaljournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='0e71df7e8101461da3382c12d9ec52ea3a7d4d4c', operation='DELETE', pgid='pgtrigger_journal_no_delete_ed876', table='internships_proposaljournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionjournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."at" IS DISTINCT FROM (NEW."at") OR OLD."by_name" IS DISTINCT FROM (NEW."by_name") OR OLD."data" IS DISTINCT FROM (NEW."data") OR OLD."from_state" IS DISTINCT FROM (NEW."from_state") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."note" IS DISTINCT FROM (NEW."note") OR OLD."suggestion_id" IS DISTINCT FROM (NEW."suggestion_id") OR OLD."to_state" IS DISTINCT FROM (NEW."to_state") OR OLD."transition" IS DISTINCT FROM (NEW."transition"))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='e07360c082ffc287b787fb272777ec9e1af7e8dc', operation='UPDATE', pgid='pgtrigger_journal_no_update_1c101', table='internships_suggestionjournal', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='suggestionjournal',
            trigger=pgtrigger.compiler.Trigger(name='journal_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='5ad55609773e0caf13e9d141a0a204c996520e19', operation='DELETE', pgid='pgtrigger_journal_no_delete_ce602', table='internships_suggestionjournal', when='BEFORE')),
        ),
    ]
