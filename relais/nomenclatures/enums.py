"""Reference values of the nomenclatures that are not imported from a file."""

# The 14 grands domaines of the ROME: the first letter of a ROME code. They are the economic
# sectors of a pôle de filière, of a vocational section and of a métier en tension, and the
# domain shown beside a pupil's wished family.
ROME_DOMAINS = {
    "A": "Agriculture et pêche, espaces naturels et verts, soins aux animaux",
    "B": "Arts et façonnage d'ouvrages d'art",
    "C": "Banque, assurance, immobilier",
    "D": "Commerce, vente et grande distribution",
    "E": "Communication, média et multimédia",
    "F": "Construction, bâtiment et travaux publics",
    "G": "Hôtellerie-restauration, tourisme, loisirs et animation",
    "H": "Industrie",
    "I": "Installation et maintenance",
    "J": "Santé",
    "K": "Services à la personne et à la collectivité",
    "L": "Spectacle",
    "M": "Support à l'entreprise",
    "N": "Transport et logistique",
}
ROME_DOMAIN_CHOICES = [(code, f"{code} — {label}") for code, label in ROME_DOMAINS.items()]
