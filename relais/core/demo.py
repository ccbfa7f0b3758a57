"""Constants of the demo shared by the areas' demo modules and ``relais.demo`` (which builds on
them all): kept here so that no area imports the top-level demo."""

DEMO_ACADEMIES = ("11", "16")  # Montpellier, Toulouse: the académies of the shipped annuaire
DEMO_EMAIL_DOMAIN = "demo.relais.example"
