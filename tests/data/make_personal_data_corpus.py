#!/usr/bin/env python3
"""Writes the personal-data detector corpus: personal_data_positive.tsv (kind, sentence) and
personal_data_negative.txt (one sentence per line). Deterministic (fixed seed); rerun after
editing the templates: python3 tests/data/make_personal_data_corpus.py"""
import os
import random

random.seed(20261123)
here = os.path.dirname(os.path.abspath(__file__))


def bsn():
    while True:
        d = [random.randint(0, 9) for _ in range(8)]
        s = sum((9 - i) * d[i] for i in range(8))
        last = s % 11
        if last <= 9 and d[0] != 0:
            return "".join(map(str, d + [last]))


def not_bsn():
    while True:
        d = "".join(str(random.randint(0, 9)) for _ in range(9))
        s = sum((9 - i) * int(d[i]) for i in range(8)) - int(d[8])
        if s % 11 != 0 and d[0] != "0":
            return d


def iban(country, bban):
    raw = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in raw)
    check = 98 - int(num) % 97
    return f"{country}{check:02d}{bban}"


def nl_iban():
    bank = random.choice(["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB", "KNAB"])
    return iban("NL", bank + "".join(str(random.randint(0, 9)) for _ in range(10)))


def spaced(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def bsn_forms(n):
    return [n, f"{n[:4]}.{n[4:6]}.{n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}",
            f"{n[:4]} {n[4:6]} {n[6:]}"]


def mobile():
    return "6" + "".join(str(random.randint(0, 9)) for _ in range(8))


def phone_forms():
    m = mobile()
    area = random.choice(["20", "10", "30", "70", "40", "50", "13", "15", "35", "72"])
    local = "".join(str(random.randint(0, 9)) for _ in range(7))
    return [f"0{m[0]}-{m[1:]}", f"0{m[0]} {m[1:]}", f"0{m}", f"0{m[0]} {m[1:5]} {m[5:]}",
            f"0{area}-{local}", f"0{area} {local[:3]} {local[3:]}", f"+31 {m[0]} {m[1:]}", f"+31{m}",
            f"+31 (0){m[0]} {m[1:5]} {m[5:]}", f"0031 {m[0]} {m[1:]}", f"0031{m}", f"(0{area}) {local[:3]} {local[3:]}"]


names = ["j.jansen", "m.de.vries", "fam.bakker", "sandra1978", "p.el-amrani", "kees.visser", "a.yilmaz", "r.smit"]
domains = ["gmail.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl", "planet.nl"]
letters = "ABCDEFGHJKLMNPRTVWXZ"


def postcode_forms():
    pc = str(random.randint(1000, 9999))
    l2 = random.choice(letters) + random.choice(letters)
    nr = str(random.randint(1, 250))
    return [f"{pc} {l2} {nr}", f"{pc}{l2}-{nr}a", f"{pc} {l2.lower()} {nr}", f"{pc}{l2} {nr}", f"{pc} {l2}, nr. {nr}",
            f"{pc} {l2} {nr}-b"]


months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def old_date():
    y, m, d = random.randint(1950, 2008), random.randint(1, 12), random.randint(1, 28)
    return y, m, d


def birth_forms():
    y, m, d = old_date()
    y2, m2, d2 = old_date()
    return [
        ("geboren op", f"{d:02d}-{m:02d}-{y}"), ("geb.", f"{d} {months[m - 1]} {y}"),
        ("geboortedatum:", f"{y}-{m:02d}-{d:02d}"), ("DOB", f"{d:02d}/{m:02d}/{y}"),
        ("born", f"{d} {months[m - 1][:3].capitalize()} {y}"), ("geboren", f"{d}.{m}.{y}"),
        ("sinds", f"{d2:02d}-{m2:02d}-{y2}"),
    ]


positive = []
for _ in range(4):
    for form in bsn_forms(bsn()):
        positive += [("bsn", f"Het BSN van cliënt is {form}, staat in het dossier."),
                     ("bsn", f"Mevrouw gaf haar burgerservicenummer {form} door aan de balie.")]
for _ in range(6):
    i = nl_iban()
    positive += [("iban", f"De huur gaat van rekening {i} af."),
                 ("iban", f"Betalingsregeling loopt via {spaced(i)} bij de bank."),
                 ("iban", f"Hij heeft een tweede rekening ({i.lower()}) geopend.")]
for country, bban in [("DE", "370400440532013000"), ("BE", "539007547034"), ("GB", "NWBK60161331926819"),
                      ("FR", "20041010050500013M02606"), ("ES", "21000418450200051332")]:
    i = iban(country, bban)
    positive += [("iban", f"Het loon wordt gestort op een buitenlandse rekening {spaced(i)}.")]
for form in phone_forms() + phone_forms():
    positive += [("phone", f"Bel de dochter op {form} als mevrouw niet opneemt.")]
for form in phone_forms():
    positive += [("phone", f"Zijn nummer is {form}; hij is 's avonds bereikbaar.")]
for n in names:
    positive += [("email", f"Cliënt mailt vanaf {n}@{random.choice(domains)} over de aanvraag.")]
for n in names[:4]:
    positive += [("email", f"Stuur de brief naar {n}@{random.choice(domains)}.")]
for _ in range(3):
    for form in postcode_forms():
        positive += [("postcode", f"Het gezin woont op {form} in een te kleine woning.")]
for _ in range(3):
    for word, date in birth_forms():
        positive += [("birth_date", f"De zoon is {word} {date} en woont nog thuis.")]

negative = [
    "De schuld bij de energieleverancier is opgelopen tot € 1.234,56.",
    "Er staat nog 12.500 euro open bij de Belastingdienst.",
    "Het gesprek is morgen om 14.30 uur op het wijkkantoor.",
    "In 2019 is het gezin uit Syrië naar Nederland gekomen.",
    "Zaaknummer 2024-0457 is bij de gemeente ingediend.",
    "Ons interne nummer Z-2023-04512 hoort bij deze melding.",
    "De bijstandsnorm is ongeveer 1.100 euro per maand voor een alleenstaande.",
    "Ze heeft drie kinderen van 4, 7 en 12 jaar.",
    "Het telefoontje om 10.00 uur is blijven hangen.",
    "Het huis heeft 3 kamers en de huur is € 850 per maand.",
    "Volgens artikel 7:2 BW is dit geen koop.",
    "De wachtlijst voor schuldhulp is 12 weken.",
    "Versie 2.3.1 van het formulier vraagt om minder gegevens.",
    "Hij werkt 32 uur per week bij een schoonmaakbedrijf.",
    "Zij scoorde een 8/10 op de tevredenheidsmeting.",
    "De afspraak staat op 12-11-2025 bij de schuldhulpverlener.",
    "Op 03-02-2024 is de beschikking verstuurd.",
    "Het KvK-nummer van zijn eenmanszaak is 12345678.",
    "Bel het algemene nummer 14 020 van de gemeente.",
    "Het CJIB rekent € 9,00 administratiekosten.",
    "De energietoeslag van 2022 was 1.300 euro.",
    "We zitten in week 47 van de wachtlijst.",
    "Zij heeft 6 maanden achterstand op de zorgverzekering.",
    "De gemeente betaalt 75% van de kosten.",
    "Postcodegebied 1012 valt onder het wijkteam Centrum.",
    "In de wijk 1102 wonen veel jonge gezinnen.",
    "De melding kwam binnen op 15 oktober 2025.",
    "Het ging mis in maart 2021, toen zij haar baan verloor.",
    "Het dossier telt 123 pagina's.",
    "Hij is 45 jaar en woont sinds 2015 in Amsterdam.",
    "Het bedrag van 1.250,00 is overgemaakt.",
    "Tussen 09.00 en 17.00 uur is het loket open.",
    "De rente is 14,5 procent per jaar.",
    "Het rekeningnummer ontbreekt nog in de aanvraag.",
    "Ze belde 3 keer in 2 dagen.",
    "Referentie 2025/0034/HH hoort bij de aanvraag.",
    "De woning is 65 m2 groot.",
    "Artikel 12 van de Participatiewet is van toepassing.",
    "Over 10 dagen volgt een tweede herinnering.",
    "Het budgetbeheer kost 25 euro per maand.",
]
for _ in range(15):
    n = not_bsn()
    negative += [f"Het dossiernummer {n} hoort bij de oude aanvraag.",
                 f"Factuur {n[:3]}.{n[3:6]}.{n[6:]} is nog niet betaald."]
for _ in range(10):
    m = mobile()
    negative += [f"Het nummer 0{m[:7]} klopt niet, er ontbreken cijfers.",
                 f"Hij noemde 06-{m[1:7]} maar dat is te kort."]
for _ in range(10):
    good = nl_iban()
    bad = good[:2] + ("%02d" % ((int(good[2:4]) + 7) % 97 or 11)) + good[4:]
    negative += [f"Het opgegeven nummer {bad} is ongeldig volgens de bank."]
for _ in range(5):
    negative += [f"Het gesprek is verplaatst naar {random.randint(1, 28)}-{random.randint(1, 12)}-2025."]
for _ in range(5):
    negative += [f"Er kwam een e-mail van de gemeente (mail @ gemeente) zonder adres.",
                 f"Cliënt heeft nog {random.randint(2, 40)} openstaande rekeningen."]

with open(os.path.join(here, "personal_data_positive.tsv"), "w", encoding="utf-8") as f:
    f.write("# kind<TAB>sentence: each sentence holds exactly one finding of that kind\n")
    for kind, s in positive:
        f.write(f"{kind}\t{s}\n")
with open(os.path.join(here, "personal_data_negative.txt"), "w", encoding="utf-8") as f:
    f.write("# sentences that look like personal data but are not: no finding allowed\n")
    for s in negative:
        f.write(s + "\n")
print(len(positive), "positive,", len(negative), "negative")
