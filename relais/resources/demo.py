"""Demo of the library of kits and resources, loaded by `load_demo`: the national tutor kit
(two versions, to show the history) and the académie de Montpellier's own, the MOOC for
companies and the M@gistère course on the esprit d'entreprendre, the toolbox's four steps,
and a sheet for teachers on each of the four contents of the preparation of the stage de 3e.
Texts drawn from the measures' sheets (data/seeds/12-mesures-…); idempotent (by title)."""

from __future__ import annotations

from django.db import transaction

from relais.territories.models import Academie

from .enums import Audience, ResourceKind, Step, Topic
from .models import Resource, ResourceVersion

KIT_V1 = """Le stage de 3e est une séquence d'observation de cinq jours : l'élève découvre \
le monde professionnel, ses codes et ses usages ; il n'effectue aucun travail productif.

Avant l'arrivée : préparez ce que fera l'élève, jour par jour, et qui l'accueillera."""
KIT_V2 = (
    KIT_V1
    + """

Répartir l'encadrement : accueillez l'élève une journée dans chaque service (ressources \
humaines, comptabilité, atelier, accueil…), pour que l'accueil ne repose pas sur une seule \
personne.

Construire les temps forts de la semaine : une visite des lieux le premier matin, une \
rencontre avec des métiers différents chaque jour, un temps d'échange le dernier jour sur ce \
que l'élève a compris.

Après le stage : le pôle de stages vous demandera par courriel si vous accueilleriez de \
nouveau un élève."""
)
KIT_MONTPELLIER = (
    KIT_V2
    + """

Dans l'académie de Montpellier : le pôle de stages de votre bassin répond à vos questions \
(son adresse figure dans le courriel de la proposition)."""
)

# (title, audience, kind, step, topic, academie code, versions [(body, url, note)], summary)
RESOURCES = [
    ("Kit du tuteur : accueillir un élève de 3e en stage d'observation", Audience.COMPANIES,
     ResourceKind.TUTOR_KIT, "", "", None,
     [(KIT_V1, "", "Première version"), (KIT_V2, "", "Répartir l'encadrement, temps forts")],
     "Joint à chaque proposition de stage envoyée par un pôle de stages (mesure 2)."),
    ("Kit du tuteur — académie de Montpellier", Audience.COMPANIES, ResourceKind.TUTOR_KIT,
     "", "", "11", [(KIT_MONTPELLIER, "", "Version de l'académie")],
     "La version de l'académie : elle remplace le kit national dans ses propositions."),
    ("MOOC des entreprises : préparer l'arrivée d'un stagiaire de 3e", Audience.COMPANIES,
     ResourceKind.TRAINING, "", "", None,
     [("Cours en ligne dédié aux tuteurs : structurer et identifier les tâches et les "
       "rencontres que pourra effectuer le stagiaire tout au long de la période "
       "d'observation (mesure 2, piloté par le CNEE).", "https://www.fun-mooc.fr/",
       "Première version")],
     "Des pistes pratiques pour construire les temps forts de la semaine d'observation."),
    ("M@gistère : l'esprit d'entreprendre au collège", Audience.TEACHERS,
     ResourceKind.TRAINING, "", "", None,
     [("Parcours de formation continue à distance pour les enseignants de collège, toutes "
       "disciplines confondues : identifier ce qu'est l'esprit d'entreprendre, concevoir une "
       "pédagogie favorable à l'esprit d'initiative, évaluer ses pratiques (mesure 9).",
       "https://magistere.education.fr/", "Première version")],
     "Module de formation continue sur l'esprit d'entreprendre."),
    ("Le parcours Avenir en bref", Audience.PARTNERS, ResourceKind.TOOLBOX, Step.DISCOVER, "",
     None, [("Une visite, une rencontre, un stage et un projet concret pour chaque collégien "
             "(mesure 3) : ce que chaque partenaire peut apporter.", "", "Première version")],
     "Boîte à outils (mesure 7) : découvrir le parcours Avenir."),
    ("Actions à construire avec un établissement", Audience.COMPANIES, ResourceKind.TOOLBOX,
     Step.ACTIONS, "", None,
     [("Visite d'entreprise, témoignage en classe, forum des métiers, mini-entreprise, "
       "parrainage : les principales actions co-construites avec les établissements et les "
       "partenaires associatifs.", "", "Première version")],
     "Boîte à outils (mesure 7) : connaître les actions possibles."),
    ("Vos interlocuteurs à chaque étape", Audience.PARTNERS, ResourceKind.TOOLBOX,
     Step.CONTACTS, "", None,
     [("Le chef d'établissement et le professeur principal ; le référent école-entreprise du "
       "bassin ; le pôle de stages ; la cellule relation école-entreprise (DAET) du rectorat.",
       "", "Première version")],
     "Boîte à outils (mesure 7) : identifier ses interlocuteurs."),
    ("Monter un projet école-entreprise, du premier contact au bilan", Audience.TEACHERS,
     ResourceKind.TOOLBOX, Step.BUILD, "", None,
     [("Trouver des relais, préparer avec le partenaire, encadrer et animer l'action, la "
       "mettre à profit avec les élèves et l'inscrire dans leur parcours Avenir.", "",
       "Première version")],
     "Boîte à outils (mesure 7) : trouver des relais et construire le projet."),
    ("Préparer aux objectifs du stage", Audience.TEACHERS, ResourceKind.PREPARATION, "",
     Topic.GOALS, None,
     [("Une séance pour dire ce qu'est un stage d'observation, ce que l'élève y cherche et ce "
       "qu'on attend de lui.", "", "Première version")], ""),
    ("Apprendre à rechercher une entreprise", Audience.TEACHERS, ResourceKind.PREPARATION, "",
     Topic.SEARCH, None,
     [("Lister ses pistes, écrire une lettre courte, téléphoner, relancer ; sans piste, "
       "l'équipe pédagogique puis le pôle de stages prennent le relais (mesure 1).", "",
       "Première version")], ""),
    ("Collecter de l'information pendant le stage", Audience.TEACHERS,
     ResourceKind.PREPARATION, "", Topic.COLLECT, None,
     [("Un carnet de bord : les métiers rencontrés, les questions posées, ce qui a surpris.",
       "", "Première version")], ""),
    ("Trier et hiérarchiser ces informations", Audience.TEACHERS, ResourceKind.PREPARATION, "",
     Topic.SORT, None,
     [("Du carnet de bord au rapport de stage : garder l'essentiel, classer, présenter.", "",
       "Première version")], ""),
]  # fmt: skip


@transaction.atomic
def load() -> str:
    academies = {a.code: a for a in Academie.objects.filter(code__in=["11"])}
    created = 0
    for title, audience, kind, step, topic, code, versions, summary in RESOURCES:
        if code and code not in academies:
            continue
        resource, new = Resource.objects.get_or_create(
            title=title,
            defaults={
                "audience": audience, "kind": kind, "step": step, "topic": topic,
                "academie": academies.get(code) if code else None, "summary": summary,
            },
        )  # fmt: skip
        if not new:
            continue
        created += 1
        for number, (body, url, note) in enumerate(versions, start=1):
            version = ResourceVersion.objects.create(
                resource=resource, number=number, body=body, url=url, note=note
            )
        resource.current = version
        resource.save(update_fields=["current"])
    return f"Kits et ressources : {created} ressource(s) ajoutée(s)" if created else ""
