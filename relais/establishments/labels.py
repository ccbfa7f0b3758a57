# ruff: noqa: E501 - a table of labels, one per line
"""The annuaire de l'éducation's labels in readable French.

The annuaire writes its natures and contracts in capitals, without accents nor apostrophes
and with abbreviations (« LYCEE D ENSEIGNEMENT TECHNOLOGIQUE », « LYCEE ENSEIGNT GENERAL ET
TECHNOLOGIQUE », « C0NTRAT SIMPLE »). ``readable`` gives them back their French: the labels
seen in the académies' files are written out (``KNOWN``); any other goes through the same
word list, first letter capital.
"""

import re

KNOWN = {
    "ECOLE DE NIVEAU ELEMENTAIRE": "École élémentaire",
    "ECOLE DE NIVEAU ELEMENTAIRE SPECIALISEE": "École élémentaire spécialisée",
    "ECOLE ELEMENTAIRE D APPLICATION": "École élémentaire d'application",
    "ECOLE MATERNELLE D APPLICATION": "École maternelle d'application",
    "CIRCONSCRIPTIONS INSPECTION EDUC NAT": "Circonscription de l'inspection de l'Éducation nationale",
    "LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE": "Lycée d'enseignement général et technologique",
    "SECTION ENSEIGT GENERAL ET TECHNOLOGIQUE": "Section d'enseignement général et technologique",
    "ECOLES COMPOSEES UNIQT DE STS ET OU CPGE": "École composée uniquement de STS ou de CPGE",
    "INSTITUT THERAPEUT. EDUCATIF PEDAGOGIQUE": "Institut thérapeutique, éducatif et pédagogique",
    "MAISON FAMILIALE RURALE EDUCATION ORIENT": "Maison familiale rurale d'éducation et d'orientation",
    "DIRECTION SERVICES DEPARTEMENTAUX EN": "Direction des services départementaux de l'Éducation nationale",
    "LYCEE ENS GENERAL TECHNO PROF AGRICOLE": "Lycée d'enseignement général, technologique et professionnel agricole",
    "ETAB REGIONAL/LYCEE ENSEIGNEMENT ADAPTE": "Établissement régional d'enseignement adapté",
    "IES POUR DEFICIENTS AUDITIFS": "Institut d'éducation sensorielle pour déficients auditifs",
    "IES POUR SOURDS-AVEUGLES": "Institut d'éducation sensorielle pour sourds-aveugles",
    "INSTITUT EDUCATION MOTRICE (IEM)": "Institut d'éducation motrice (IEM)",
    "ETABLISSEMENT POUR POLY-HANDICAPES": "Établissement pour polyhandicapés",
    "C0NTRAT SIMPLE POUR PARTIE DES CLASSES": "Contrat simple pour une partie des classes",
    "CONTRAT ASSOCIATION PARTIE DES CLASSES": "Contrat d'association pour une partie des classes",
    "SANS OBJET": "",
    "INCONNU DU GESTIONNAIRE": "",
}

WORDS = {
    "ecole": "école", "ecoles": "écoles", "elementaire": "élémentaire", "lycee": "lycée",
    "college": "collège", "general": "général", "generale": "générale", "specialisee": "spécialisée",
    "specialise": "spécialisé", "etablissement": "établissement", "regional": "régional",
    "adapte": "adapté", "education": "éducation", "medico-educatif": "médico-éducatif",
    "medico-experimental": "médico-expérimental", "therapeutique": "thérapeutique",
    "educatif": "éducatif", "pedagogique": "pédagogique", "departementaux": "départementaux",
    "metiers": "métiers", "prive": "privé", "rectoral": "rectoral", "deficients": "déficients",
    "polyhandicapes": "polyhandicapés", "handicapes": "handicapés", "composees": "composées",
    "experimental": "expérimental", "superieur": "supérieur", "agree": "agréé",
}  # fmt: skip

KEEP_UPPER = {"STS", "CPGE", "IEM", "CIO", "EREA", "SEGPA", "ULIS", "REP", "REP+", "IME"}


def _word(word: str) -> str:
    if word in KEEP_UPPER:
        return word
    lower = word.lower()
    return WORDS.get(lower, lower)


def readable(label: str) -> str:
    """« LYCEE D ENSEIGNEMENT TECHNOLOGIQUE » → « Lycée d'enseignement technologique »."""
    text = (label or "").strip()
    if not text:
        return ""
    if text in KNOWN:
        return KNOWN[text]
    if text != text.upper():  # already written by a person
        return text
    words = [_word(w) for w in text.split()]
    sentence = " ".join(words)
    # The annuaire drops apostrophes: « D ENSEIGNEMENT », « L EDUCATION ».
    sentence = re.sub(r"\b([dl]) (?=[aeiouyéèêh])", r"\1'", sentence)
    return sentence[:1].upper() + sentence[1:]
