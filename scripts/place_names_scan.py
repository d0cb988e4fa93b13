#!/usr/bin/env python3
"""Lists the places of a French corpus whose names contain a country's name (Saint-Maurice,
Tremblay-en-France, « rue de Madagascar »), with counts: the candidates behind
core/data/place_names.tsv. A development tool, never run by the build.

Usage: scripts/place_names_scan.py FILE.jsonl|FILE.md... (JSONL: the `text` of each line)
"""
import collections
import json
import re
import sys

# French names of countries and overseas territories most likely inside place names; the
# product itself uses ICU's full list.
COUNTRIES = ("France|Maurice|Luxembourg|Madagascar|Belgique|Allemagne|Espagne|Italie|Suisse|"
             "Algérie|Maroc|Tunisie|Sénégal|Mali|Niger|Tchad|Liban|Syrie|Israël|Égypte|Chine|"
             "Japon|Inde|Brésil|Mexique|Canada|Amérique|Russie|Pologne|Grèce|Turquie|Monaco|"
             "Andorre|Portugal|Irlande|Autriche|Hongrie|Roumanie|Haïti|Congo|Gabon|Cameroun|"
             "Bénin|Togo|Guinée|Salvador|Colombie|Cuba|Panama|Géorgie|Arménie|Australie|"
             "Norvège|Suède|Danemark|Hollande|Angleterre|Écosse|Martinique|Guadeloupe|"
             "Réunion|Mayotte|Guyane")
NOUNS = ("rue|avenue|boulevard|place|quai|allée|impasse|square|arrondissement|quartier|jardin|"
         "palais|pont|porte|gare|canton|commune|lycée|collège|hôtel|cours|villa|passage|faubourg")
PATTERN = re.compile(
    r"\b((?:Saint|Sainte|St|Ste)-[\w-]*?(?:%(c)s)[\w-]*"
    r"|(?:%(n)s)\s+(?:de la |de l'|du |des |de |d')(?:%(c)s)"
    r"|[\w-]+-(?:de|du|en|sur|sous|lès|les)-(?:%(c)s)[\w-]*"
    r"|(?:M\.|Mme|Monsieur|Madame|général|président|Saint) (?:%(c)s)\b)"
    % {"c": COUNTRIES, "n": NOUNS}, re.IGNORECASE)


def texts(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".jsonl"):
            for line in f:
                if line.strip():
                    yield json.loads(line).get("text", "")
        else:
            yield f.read()


def main(paths):
    if not paths:
        sys.exit(__doc__)
    counts = collections.Counter()
    for path in paths:
        for text in texts(path):
            counts.update(m.group(1) for m in PATTERN.finditer(text))
    for name, n in counts.most_common():
        print(f"{n}\t{name}")


if __name__ == "__main__":
    main(sys.argv[1:])
