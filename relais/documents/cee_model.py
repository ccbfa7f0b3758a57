"""The fixed text of the ministry's model convention for the conseillers entreprises pour
l'école (art. D. 331-66 of the code de l'éducation), as given in
``data/seeds/modele-convention-conseillers-entreprises-pour-l-ecole.txt``: the Word template
(``docx/make_templates_agreements.py``) and the PDF print it word for word; its « [à
compléter] » blanks are the template fields in ``{{ }}``. A test checks every fixed sentence
against the model (tests/agreements/test_documents.py)."""

# The ministry's model (data/seeds/modele-convention-conseillers-entreprises-pour-l-ecole.txt)
# word for word where it is fixed; its « [à compléter] » blanks are template fields. The
# model's examples of Article 2 (« la liste ci-après n'est ni exhaustive, ni cumulative »)
# are replaced by the domains agreed (``domaines_intervention``).
CEE_PREAMBLE = [
    "Le développement des relations entre l'école et le monde professionnel fait partie des "
    "missions du service public de l’éducation, avec un double objectif :",
    "· aider et accompagner les jeunes dans leur projet d'orientation, en leur permettant de "
    "connaître le monde économique et les différents métiers qui s'offrent à eux ;",
    "· favoriser l'insertion sociale et professionnelle des jeunes.",
    "Le conseiller entreprises pour l’école, représentant des professions désigné par le "
    "recteur d’académie ou de région académique sur proposition des organisations "
    "professionnelles ou interprofessionnelles, est l’interlocuteur privilégié des acteurs "
    "éducatifs pour la mise en œuvre et le développement de la coopération entre l’école et "
    "le monde professionnel sur les territoires.",
    "Il contribue aux actions qui visent à rapprocher le système éducatif de l’environnement "
    "économique : il intervient en propre et en mobilisant les professionnels de son réseau "
    "susceptibles de répondre aux attentes des services académiques et des établissements.",
    "Il a vocation à faciliter la représentation de l’organisation professionnelle dans les "
    "lieux d’échanges et de réflexion ayant à voir avec la relation école-entreprise : les "
    "établissements publics locaux d’enseignement et notamment les lycées des métiers, les "
    "campus des métiers et des qualifications, les pôles de stages, les comités locaux école "
    "entreprise (CLEE), les commissions professionnelles consultatives (CPC) au niveau "
    "national, et tout autre lieu, instance ou dispositif relevant de l’éducation nationale "
    "pour lesquels une représentation de l’organisation professionnelle est requise ou "
    "nécessaire.",
]
CEE_ARTICLES = [
    ("Article 1 - Objet", [
        "Dans le cadre de leur engagement en faveur du développement des relations entre "
        "l’école et l’entreprise, les signataires conviennent de mobiliser {{ nombre_cee }} "
        "conseillers entreprises pour l’école pendant la durée de la présente convention.",
    ]),
    ("Article 2 – Domaines d’intervention des conseillers entreprises pour l’école", [
        "Les signataires s’accordent pour que les conseillers entreprises pour l’école désignés "
        "dans le cadre de la présente convention contribuent à la mise en œuvre des actions "
        "suivantes :",
        "{{ domaines_intervention }}",
    ]),
    ("Article 3 – Désignation des conseillers entreprises pour l’école", [
        "Dans ce cadre, l’organisation professionnelle {{ organisation_nom }} souhaite "
        "contribuer à l’atteinte des objectifs en mobilisant les entreprises membres de son "
        "réseau et en proposant au recteur la candidature de salariés, artisans, employeurs "
        "reconnus pour leur expertise dans le(s) secteur(s) de {{ secteurs }} susceptibles de "
        "la représenter auprès des acteurs du système éducatif.",
        "L’organisation professionnelle s’assure que les employeurs sont informés de l’étendue "
        "et de la durée des missions susceptibles d’être confiées à leurs salariés.",
        "Suite aux propositions transmises par l’organisation professionnelle, le recteur "
        "d’académie établira une lettre de mission à l’attention de chaque conseiller "
        "entreprises pour l’école désigné, précisant la nature, le champ géographique, la "
        "durée de sa ou ses missions ainsi que les coordonnées de son référent au sein de "
        "l’académie.",
        "Chaque lettre de mission sera communiquée à l’organisation signataire de la présente "
        "convention qui s’engage à en informer les employeurs des conseillers entreprises pour "
        "l’école salariés.",
    ]),
    ("Article 4 – Exercice des missions des conseillers entreprises pour l’école", [
        "L’organisation professionnelle {{ organisation_nom }} et l’académie s’engagent à "
        "faciliter l’action des conseillers entreprises pour l’école désignés dans le cadre de "
        "la présente convention.",
        "Pour ce faire, les signataires prévoient {{ modalites }}.",
    ]),
    ("Article 5 : Information et communication", [
        "La liste nominative des conseillers entreprises pour l’école fixée chaque année par "
        "arrêté du recteur est communiquée à l’organisation professionnelle signataire de la "
        "présente convention.",
        "Les signataires conviennent conjointement des modalités de communication auprès des "
        "entreprises et des acteurs académiques relative à la mise en œuvre de la présente "
        "convention.",
        "Ils se tiennent mutuellement informés des projets d’actions de valorisation de leur "
        "partenariat.",
    ]),
    ("Article 6 - Pilotage de la convention", [
        "Il est constitué un comité de pilotage chargé de suivre et d’évaluer la mise en œuvre "
        "de la convention dans le cadre d’une démarche d’amélioration continue.",
        "Ce comité de pilotage est composé de : {{ comite_composition }}.",
        "Il se réunit a minima une fois par an à l’initiative de {{ comite_initiative }}.",
        "Un compte-rendu des réunions est rédigé par {{ compte_rendu_redacteur }} et adressé à "
        "l’ensemble des membres du comité de pilotage.",
    ]),
    ("Article 7 - Durée de la convention", [
        "La présente convention prend effet à compter de sa date de signature. Conformément à "
        "l’article D. 331-66 du code de l’éducation, elle est conclue pour une durée de trois "
        "ans.",
        "Au cours de sa période de validité, la convention peut être modifiée par avenant à la "
        "demande de l’une ou l’autre des parties.",
    ]),
    ("Article 8 : Litiges et résiliation", [
        "En cas de litige relatif à l’interprétation ou la mise en œuvre de la présente "
        "convention, les parties s’engagent à organiser une procédure de conciliation qui peut "
        "être engagée notamment par la réunion d’un comité de pilotage exceptionnel, à "
        "l’initiative de l’une ou l’autre des parties.",
        "La présente convention peut être dénoncée par l'une ou l’autre des parties : la "
        "résiliation prendra effet à l’expiration d’un délai minimal de six mois à compter de "
        "la réception de la notification écrite de la partie souhaitant mettre un terme à la "
        "convention.",
    ]),
]  # fmt: skip
