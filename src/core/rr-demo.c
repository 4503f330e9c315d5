/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-demo"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "rr-bsn.h"
#include "rr-decision-private.h"
#include "rr-demo.h"
#include "rr-error.h"
#include "rr-learning.h"
#include "rr-ledger.h"
#include "rr-report-private.h"
#include "rr-review.h"
#include "rr-rules.h"
#include "rr-schema.h"
#include "rr-store-private.h"
#include "rr-users.h"

/* The demo data set follows the reference proportions of DESIGN §8:
 * 1,000,000 decisions ↔ 50,000 clients ↔ 500 users over ten years. Every
 * choice of content comes from one GRand seeded with the caller's seed, so
 * the same seed gives the same data; only identifiers (uuids, salts) and
 * the ledger's own timestamps are taken from the system. The texts are
 * data, written in Dutch as the people who use the program would write
 * them; they are not translated. */

#define BATCH_SIZE          10000
#define DECISIONS_PER_USER  2000
#define DECISIONS_PER_CLIENT  20
#define YEARS_OF_HISTORY      10
/* A client usually stays about five years; some stay much longer. */
#define ACTIVE_DAYS         1826

/* ------------------------------------------------------------------ data */

static const char * const first_names[] = {
  "Jan", "Pieter", "Kees", "Henk", "Willem", "Sanne", "Lotte", "Femke", "Anouk", "Eva",
  "Sophie", "Fatima", "Mohammed", "Youssef", "Ayşe", "Emre", "Daan", "Bram", "Sem", "Lars",
  "Ruud", "Marieke", "Ingrid", "Annelies", "Monique", "Esther", "Ilse", "Joost", "Bas",
  "Thijs", "Noor", "Lieke", "Fleur", "Iris", "Mila", "Nadia", "Samira", "Ricardo", "Shanti",
  "Priya", "Dewi", "Tjitske", "Sjoerd", "Wouter", "Maarten", "Gerrit", "Hanneke", "Petra",
  "Karin", "Linda", "Marco", "Dennis", "Erik", "Rik", "Niels", "Stefan", "Tom", "Yvonne",
  "Hatice", "Mustafa", "Ahmed", "Khadija", "Aisha", "Omar", "Tesfaye", "Mariam", "Agnieszka",
  "Piotr", "Olga", "Jeroen", "Mirjam", "Gert-Jan", "Anneke", "Johan", "Cor", "Marloes",
  "Roos", "Julia", "Zeynep", "Bilal", "Soufiane", "Naima", "Kevin", "Chantal", "Wendy",
  "Rachid", "Hamza", "Jasmijn", "Floor", "Koen", "Frank", "Hans", "Greetje", "Dirk",
};

static const char * const surnames[] = {
  "de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
  "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
  "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden",
  "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
  "de Bruijn", "de Jong", "van Dijk", "Janssen", "Verhoeven", "Koster", "Willems", "Prins",
  "Blom", "Huisman", "Peeters", "de Lange", "Kuipers", "van Wijk", "Postma", "Kramer",
  "van Vliet", "Schouten", "van Beek", "Hoekstra", "Bosman", "Maas", "Timmermans",
  "Boersma", "Wouters", "Verbeek", "Kaya", "Yilmaz", "El Amrani", "Bouzid", "Öztürk",
  "Şahin", "Haddou", "Tahiri", "Martina", "Rosario", "Nguyen", "Wong", "Kowalski", "Nowak",
  "Mohamed", "Abdi", "Tesfay", "Ahmadi", "Haidari", "Osei", "Mensah", "van 't Hof",
  "Zwart", "Groen", "Veenstra", "Sedney", "Pinas", "Biharie", "Ramdin", "Demir", "Çelik",
  "Aydın", "El Idrissi", "Benali", "Wijnands", "Hermans", "Claassen", "Dijkman", "Hofman",
};

static const char * const team_names[] = {
  "Team Noord", "Team Zuid", "Team Centrum", "Team Oost", "Team West", "Team Jongeren",
  "Team Werk", "Team Inkomen", "Team Schuldhulp", "Team Statushouders", "Team Ondernemers",
  "Team Nieuw-West", "Team Zuidoost", "Team Binnenstad", "Team Dorpen", "Team Havens",
  "Team Participatie", "Team Re-integratie", "Team Zorg en Welzijn", "Team Handhaving",
};

static const char * const month_names[] = {
  "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
  "oktober", "november", "december",
};

static const char * const small_numbers[] = { "twee", "drie", "vier", "vijf" };

/* Life situations that come back across rules; slots in braces are filled
 * in with varied values (see expand ()). */
static const char * const shared_circumstances[] = {
  "Er spelen problematische schulden van ongeveer {bedrag}.",
  "Klant is mantelzorger voor een familielid, zo'n {uren} uur per week.",
  "Er zijn psychische klachten; klant staat sinds {maand} op de wachtlijst bij de GGZ.",
  "Dakloosheid dreigt binnen {weken} weken.",
  "Er wonen {n} minderjarige kinderen in huis.",
  "Klant spreekt de taal nog beperkt (statushouder sinds {jaar}).",
  "Laaggeletterdheid speelt een rol: brieven worden niet goed begrepen.",
  "Klant herstelt van een verslaving en heeft nu een stabiele periode.",
  "Er is sprake van huiselijk geweld; Veilig Thuis is betrokken.",
  "Klant heeft een licht verstandelijke beperking.",
  "Een uitkering van het UWV is vertraagd sinds {maand}.",
  "Klant werkt parttime met wisselende uren en inkomsten.",
  "Er loopt een beschermingsbewind sinds {jaar}.",
  "Klant is {leeftijd} jaar en heeft langdurige lichamelijke klachten.",
  "De partner van klant is in {maand} overleden.",
  "Klant is net uit detentie en zoekt huisvesting.",
  "Jongere van {jong} jaar zonder startkwalificatie, woont nog bij de ouders.",
  "Klant is alleenstaande ouder en heeft geen netwerk in de buurt.",
  "Er is een huurachterstand van {bedrag}; de woningcorporatie heeft een gesprek aangeboden.",
  "Klant heeft een zieke zoon die veel zorg nodig heeft.",
  "Klant volgt een traject bij het wijkteam.",
  "Klant is na een scheiding tijdelijk bij familie ingetrokken.",
};

static const char * const shared_closings[] = {
  "Ik evalueer dit op het nazorgmoment.",
  "De afwijking geldt tijdelijk; over {weken} weken bekijk ik de situatie opnieuw.",
  "Dit is met de klant besproken en vastgelegd in het plan van aanpak.",
  "Vergelijkbare situaties zijn in het team eerder op dezelfde manier beoordeeld.",
  "Afspraken zijn schriftelijk bevestigd aan de klant.",
};

static const char * const domain_codes[] = {
  "wellbeing", "plan", "network", "consequences", "professional",
};

static const char * const * const domain_notes[] = {
  (const char * const[]) { "Rust en bestaanszekerheid voor het gezin", "Waardigheid van de klant",
    "Gezondheid gaat voor", "Kinderen in huis", "Zelfvertrouwen van de klant groeit", NULL },
  (const char * const[]) { "Past in het plan van aanpak", "Veiligheid van de kinderen",
    "Traject naar werk blijft in beeld", "Afspraken met de schuldhulpverlening", NULL },
  (const char * const[]) { "Mantelzorg voor moeder", "Werkgever denkt mee", "Wijkteam betrokken",
    "Familie biedt tijdelijk onderdak", "Vrijwilligerswerk geeft structuur", NULL },
  (const char * const[]) { "Kosten van huisuitzetting hoger dan de verlaging",
    "Financieel gevolg beperkt", "Binnen beleid te verantwoorden",
    "Terugvordering zou de schuld vergroten", "Uren van de klantmanager beperkt", NULL },
  (const char * const[]) { "Besproken in intervisie", "Ruggespraak met collega",
    "Eerder vergelijkbaar besloten in het team", "Casus ingebracht bij teamoverleg", NULL },
};

static const char * const principles[] = {
  "Bestaanszekerheid gaat voor handhaving.",
  "Iedereen doet mee naar vermogen.",
  "Maatwerk waar de regel knelt, gelijke gevallen gelijk.",
  "Vertrouwen geven, en afspraken nakomen.",
};

static const char * const knowledge[] = {
  "Rapport van de bedrijfsarts van {maand}.",
  "Informatie van de schuldhulpverlener over het lopende traject.",
  "Jurisprudentie van de CRvB over verwijtbaarheid.",
  "Advies van het wijkteam.",
};

static const char * const experiences[] = {
  "Eerdere verlagingen hebben bij deze klant niet tot betere naleving geleid.",
  "In vergelijkbare casussen werkte een tijdelijke ontheffing goed.",
  "Aanname: met rust in de thuissituatie komt werk weer in beeld.",
};

static const char * const alternatives[] = {
  "Volledige toepassing van de regel; afgewezen vanwege de gevolgen voor de kinderen.",
  "Een kortere termijn; afgewezen omdat de behandeling langer duurt.",
  "Een waarschuwing in plaats van een maatregel.",
  "Doorverwijzing naar het wijkteam zonder aanpassing van de verplichtingen.",
};

static const char * const client_views[] = {
  "Klant is opgelucht en wil de afspraken nakomen.",
  "Klant vindt de afspraak redelijk, maar maakt zich zorgen over het inkomen.",
  "Klant begrijpt de regel maar vindt die in haar situatie onhaalbaar.",
  "Klant wil zo snel mogelijk weer aan het werk.",
};

static const char * const stakeholders[] = {
  "Schuldhulpverlening, wijkteam", "Bewindvoerder", "GGZ-behandelaar", "Werkgever",
  "Woningcorporatie", "Jeugdhulp",
};

static const char * const risks[] = {
  "Risico op terugval is aanwezig; korte lijnen met het wijkteam.",
  "Gering risico op misbruik; situatie is gecontroleerd bij huisbezoek.",
  "Als de behandeling uitloopt, moet de termijn opnieuw worden bekeken.",
};

static const char * const advice_texts[] = {
  "Ik zou de termijn beperken tot drie maanden en dan opnieuw kijken.",
  "Goed onderbouwd; leg ook vast wat de klant zelf heeft toegezegd.",
  "Overweeg de schuldhulpverlener mee te nemen in het gesprek.",
  "Ik herken dit uit een eerdere casus; daar werkte een tijdelijke ontheffing goed.",
  "Let op de gelijke behandeling: in vergelijkbare gevallen is wel verlaagd.",
  "Eens met de afweging; de gevolgen voor de kinderen wegen zwaar.",
};

static const char * const verdict_ok_comments[] = {
  NULL, NULL, NULL, "Akkoord, goed onderbouwd.", "Akkoord.", "Akkoord; helder vastgelegd.",
};

static const char * const verdict_aanvulling[] = {
  "Akkoord; leg de afspraken met de schuldhulpverlening nog vast in het dossier.",
  "Akkoord, maar zet een nazorgmoment over twee maanden.",
  "Akkoord; vermeld nog welke alternatieven zijn overwogen.",
  "Akkoord; graag de datum van het gesprek met de klant toevoegen.",
};

static const char * const verdict_vragen[] = {
  "Kun je toelichten waarom een tijdelijke ontheffing niet volstaat?",
  "Welke afspraken heb je gemaakt over de duur? Graag aanvullen.",
  "Is de verwijtbaarheid onderzocht? Graag toelichten.",
  "Wat is het oordeel van de schuldhulpverlener hierover?",
};

static const char * const verdict_niet[] = {
  "Niet akkoord: de verwijtbaarheid is onvoldoende onderzocht. Graag opnieuw bekijken.",
  "Niet akkoord: dit wijkt af van beleid zonder dat de bijzondere omstandigheden zijn "
  "aangetoond.",
  "Niet akkoord: het bedrag is niet onderbouwd met stukken.",
};

static const char * const answers[] = {
  "Aanvulling na vragen van de teamleider: een tijdelijke ontheffing volstaat niet omdat de "
  "behandeling naar verwachting langer dan een half jaar duurt.",
  "Aanvulling na vragen van de teamleider: de afspraken gelden drie maanden; daarna volgt een "
  "nieuw gesprek.",
  "Aanvulling na vragen van de teamleider: de verwijtbaarheid is besproken; de klant kon de "
  "brieven door laaggeletterdheid niet lezen.",
  "Aanvulling na vragen van de teamleider: de schuldhulpverlener onderschrijft de afspraak.",
};

static const char * const * const outcome_notes[] = {
  NULL,
  (const char * const[]) { "Klant heeft de afspraken nagekomen; schuldhulptraject loopt.",
    "Situatie is stabiel; klant is gestart met vrijwilligerswerk.",
    "Huisuitzetting voorkomen; huurachterstand wordt afgelost.",
    "Klant heeft werk gevonden voor {uren} uur per week.", NULL },
  (const char * const[]) { "Huisuitzetting voorkomen, maar sollicitatieactiviteiten nog beperkt.",
    "Behandeling loopt; afspraken deels nagekomen.",
    "Schulden gestabiliseerd, maar nieuwe betalingsachterstand ontstaan.", NULL },
  (const char * const[]) { "Klant is niet op afspraken verschenen; opnieuw in gesprek.",
    "De maatregel heeft niet tot betere naleving geleid.",
    "Situatie verslechterd; wijkteam opnieuw ingeschakeld.", NULL },
  (const char * const[]) { "Klant verhuisd naar een andere gemeente; effect niet vast te stellen.",
    "Geen contact meer gehad; effect onbekend.", NULL },
};

static const char * const withdraw_reasons[] = {
  "Dubbel vastgelegd.",
  "Vastgelegd bij de verkeerde klant.",
  "Besluit ingetrokken na het oordeel van de teamleider.",
};

/* A rule's templates. Explanations start with a reason letter: d does not
 * fit, p disproportionate, c client's interest, h prevents harm, n not
 * foreseen, a anders. */
typedef struct {
  const char         *code;
  guint               weight;
  double              deviation_rate;
  const char * const *kinds;
  gboolean            sanction;
  int                 amount_min;   /* euros; 0: no amount */
  int                 amount_max;
  const char * const *applied;
  const char * const *deviated;
  const char * const *circumstances;
  const char * const *explanations;
} RuleTemplate;

#define S(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const RuleTemplate rule_templates[] = {
  { "PW-18-1", 14, 0.34, S ("which-rule", "rule-does-not-fit", "usual-practice", "means"),
    FALSE, 0, 0,
    S ("Bijstand afgestemd op de gezinssituatie",
       "Verplichtingen afgestemd op wat klant kan",
       "Normale arbeidsverplichtingen na gesprek bevestigd",
       "Bijstand volgens de norm; geen bijzondere omstandigheden"),
    S ("Tijdelijk lagere verplichtingen wegens mantelzorg",
       "Afwijkende afstemming bij dreigende dakloosheid",
       "Aangepast traject vanwege psychische klachten",
       "Geen sollicitatieplicht tijdens schuldsanering",
       "Afstemming aangepast aan de zorg voor jonge kinderen"),
    S ("Klant zorgt dagelijks voor een ernstig zieke moeder, ongeveer {uren} uur per week.",
       "Er zijn problematische schulden van ongeveer {bedrag}; een schuldhulptraject loopt sinds {maand}.",
       "Klant heeft psychische klachten en is in behandeling bij de GGZ.",
       "Huisuitzetting dreigt: de verhuurder heeft de huur opgezegd wegens een huurachterstand van {bedrag}.",
       "Alleenstaande ouder met {n} kinderen, van wie de jongste nog niet naar school gaat.",
       "Klant heeft net een scheiding achter de rug en woont tijdelijk bij familie."),
    S ("p:Volledige toepassing van de verplichtingen zou het schuldhulptraject doorkruisen; dat staat niet in verhouding tot het doel van de regel, die juist uitstroom wil bevorderen.",
       "c:Met deze afstemming blijft klant in staat de zorg voor de kinderen te dragen, terwijl de weg naar werk in beeld blijft.",
       "h:Door nu rekening te houden met de psychische klachten voorkomen we uitval en hogere kosten later.",
       "n:De regel gaat uit van iemand die volledig beschikbaar is; met deze mantelzorg is dat niet zo.",
       "d:De standaardverplichtingen passen niet bij deze situatie; individualisering is hier precies wat artikel 18 vraagt.") },
  { "PW-18-2", 10, 0.38, S ("sanction"), TRUE, 0, 0,
    S ("Verlaging opgelegd wegens niet verschijnen op afspraak",
       "Verlaging van 20% voor een maand na weigering passende arbeid",
       "Verlaging opgelegd wegens onvoldoende sollicitatieactiviteiten"),
    S ("Afgezien van verlaging wegens ontbreken verwijtbaarheid",
       "Geen verlaging bij dreigende huisuitzetting",
       "Verlaging omgezet in een schriftelijke waarschuwing",
       "Lagere verlaging vanwege de gevolgen voor de kinderen"),
    S ("Klant verscheen niet op de afspraak van {maand}; achteraf bleek dat de brief door laaggeletterdheid niet was begrepen.",
       "Klant had een opname in het ziekenhuis in de week van de afspraak.",
       "Er is een huurachterstand van {bedrag}; een verlaging zou tot huisuitzetting leiden.",
       "Klant heeft {n} kinderen en geen andere inkomsten.",
       "Klant is in crisis na het overlijden van een familielid."),
    S ("n:Elke vorm van verwijtbaarheid ontbreekt: de klant kon de oproep niet lezen.",
       "p:Een verlaging zou de huisuitzetting zeker maken; de kosten van dakloosheid en de schade voor de kinderen staan niet in verhouding tot het doel van de maatregel.",
       "c:Een waarschuwing volstaat om de naleving te bevorderen; de klant heeft direct contact opgenomen en de afspraak ingehaald.",
       "h:Verlagen vergroot de schulden en daarmee de kans op uitval uit het traject.") },
  { "PW-9-1C", 5, 0.25, S ("means", "rule-does-not-fit"), FALSE, 0, 0,
    S ("Tegenprestatie opgedragen bij de kringloopwinkel",
       "Tegenprestatie van acht uur per week afgesproken"),
    S ("Tegenprestatie aangepast aan mantelzorgtaken",
       "Geen tegenprestatie tijdens behandeling",
       "Vrijwilligerswerk naar eigen keuze erkend als tegenprestatie"),
    S ("Klant doet al {uren} uur per week vrijwilligerswerk bij de voedselbank.",
       "Klant is mantelzorger voor een kind met een beperking.",
       "Klant is in behandeling en kan geen vaste uren aan."),
    S ("d:Het doel van de tegenprestatie, meedoen en iets terugdoen, wordt al bereikt met het bestaande vrijwilligerswerk.",
       "c:Een opgedragen tegenprestatie zou het herstel in de weg staan.",
       "p:De extra belasting staat niet in verhouding tot wat de tegenprestatie hier oplevert.") },
  { "PW-9-2", 9, 0.32, S ("rule-does-not-fit", "new-question", "which-rule"), FALSE, 0, 0,
    S ("Verzoek om ontheffing afgewezen; klant kan deeltijd werken",
       "Arbeidsverplichtingen blijven gelden na medisch advies"),
    S ("Tijdelijke ontheffing wegens medische redenen",
       "Ontheffing voor zes maanden wegens zorg voor kind",
       "Gedeeltelijke ontheffing tijdens re-integratietraject",
       "Ontheffing verlengd na advies bedrijfsarts"),
    S ("De bedrijfsarts adviseert in {maand} om de komende maanden geen arbeid te verrichten.",
       "Klant verzorgt een kind met een ernstige ziekte en is vrijwel dagelijks in het ziekenhuis.",
       "Klant heeft burn-outklachten en is gestart met behandeling.",
       "Klant is {leeftijd} jaar en herstelt van een operatie."),
    S ("c:Er zijn dringende medische redenen; verplichtingen opleggen zou het herstel vertragen.",
       "n:De situatie van zorg voor een ernstig ziek kind is in de regel niet uitgewerkt.",
       "p:Vasthouden aan volledige arbeidsverplichtingen leidt tot uitval en staat niet in verhouding tot het doel.") },
  { "PW-16-1", 2, 0.45, S ("new-question", "claim"), FALSE, 200, 1500,
    S ("Geen bijstand: geen zeer dringende redenen",
       "Verzoek op grond van artikel 16 afgewezen"),
    S ("Bijstand verleend wegens zeer dringende redenen",
       "Tijdelijke bijstand aan dakloze jongere",
       "Noodbijstand bij acute huisuitzetting"),
    S ("Jongere van {jong} jaar slaapt op straat en heeft geen enkel inkomen.",
       "Klant staat morgen op straat na ontruiming.",
       "Klant heeft geen recht op bijstand wegens studie, maar is acuut zonder middelen."),
    S ("h:Zonder hulp raakt de klant in een levensbedreigende situatie; dat weegt zwaarder dan de uitsluitingsgrond.",
       "n:De situatie was niet te voorzien en er is geen voorliggende voorziening die op tijd helpt.") },
  { "PW-31-2M", 4, 0.22, S ("which-rule", "usual-practice"), FALSE, 0, 0,
    S ("Gift meegeteld als inkomen", "Vergoeding in natura meegeteld als middel"),
    S ("Gift van familie buiten de middelen gelaten",
       "Vergoeding vrijwilligerswerk niet gekort",
       "Donatie van kerk voor schoolkosten vrijgelaten"),
    S ("Familie betaalt maandelijks {bedrag} aan schoolkosten van de kinderen.",
       "Klant ontving een eenmalige gift voor een wasmachine.",
       "De vergoeding voor vrijwilligerswerk is gering."),
    S ("d:De gift dient een doel waarvoor de bijstand niet is bedoeld en is naar maatschappelijke opvattingen verantwoord.",
       "p:Korten op deze gift zou de kinderen raken en levert de gemeente weinig op.") },
  { "PW-35-1", 12, 0.27, S ("claim", "new-question"), FALSE, 40, 3500,
    S ("Bijzondere bijstand toegekend voor noodzakelijke kosten",
       "Bijzondere bijstand afgewezen: kosten niet noodzakelijk",
       "Bijzondere bijstand voor bewindvoering toegekend",
       "Bijzondere bijstand voor woninginrichting toegekend"),
    S ("Bijzondere bijstand voor kosten die buiten de lijst vallen",
       "Bijzondere bijstand voor een fiets naar werk",
       "Hogere vergoeding voor reiskosten naar het ziekenhuis",
       "Bijzondere bijstand voor een laptop voor school"),
    S ("Klant moet {n} keer per week naar het ziekenhuis in een andere stad.",
       "Klant heeft een baan gevonden maar geen vervoer; het werk is niet met het openbaar vervoer bereikbaar.",
       "De kinderen hebben een laptop nodig voor school; er is geen geld voor.",
       "De wasmachine is kapot en klant heeft een kind met incontinentie."),
    S ("d:De kosten zijn noodzakelijk en vloeien voort uit bijzondere omstandigheden, ook al staan ze niet in de lijst.",
       "h:Met deze vergoeding kan klant het werk aannemen; dat voorkomt langdurige afhankelijkheid van bijstand.",
       "c:Zonder deze kosten dreigt de schoolloopbaan van de kinderen schade op te lopen.") },
  { "PW-36-1", 4, 0.2, S ("claim"), FALSE, 300, 600,
    S ("Individuele inkomenstoeslag toegekend",
       "Individuele inkomenstoeslag afgewezen: geen langdurig laag inkomen"),
    S ("Inkomenstoeslag toegekend ondanks korte onderbreking",
       "Inkomenstoeslag toegekend ondanks geringe kans op inkomensverbetering beoordeeld als aanwezig"),
    S ("Klant werkte in {jaar} twee maanden met een tijdelijk contract.",
       "Klant is {leeftijd} jaar en chronisch ziek."),
    S ("p:De korte onderbreking verandert niets aan de langdurig lage inkomenssituatie; afwijzen zou onevenredig zijn.",
       "n:De regel voorziet niet in een korte onderbreking door een tijdelijk contract.") },
  { "PW-48-2", 3, 0.3, S ("claim", "which-rule"), FALSE, 500, 6000,
    S ("Bijstand verstrekt als geldlening", "Borgtocht verleend voor huurwaarborg"),
    S ("Bijstand om niet in plaats van als lening",
       "Lening met lagere aflossing vanwege schulden"),
    S ("Klant heeft al een schuldenlast van ongeveer {bedrag}.",
       "Klant zit in een schuldhulptraject dat door een nieuwe lening zou vastlopen."),
    S ("p:Een lening zou de schuldenlast vergroten en het schuldhulptraject laten vastlopen.",
       "h:Om niet verstrekken voorkomt een nieuwe achterstand en hogere kosten later.") },
  { "PW-58-2", 5, 0.24, S ("claim", "which-rule"), FALSE, 100, 12000,
    S ("Ten onrechte verleende bijstand teruggevorderd",
       "Terugvordering na niet gemelde inkomsten"),
    S ("Terugvordering beperkt tot een deel van het bedrag",
       "Afgezien van terugvordering van een klein bedrag",
       "Terugvordering met lage aflossing"),
    S ("Klant meldde de inkomsten te laat door ziekte.",
       "De fout lag deels bij de gemeente: de wijziging was wel doorgegeven.",
       "Klant heeft schulden van {bedrag} en een beslaglegging op het loon."),
    S ("d:De gemeente heeft zelf fouten gemaakt; volledige terugvordering is dan niet redelijk.",
       "p:Volledige terugvordering staat niet in verhouding tot de verwijtbaarheid en maakt de schulden onoplosbaar.") },
  { "PW-58-8", 5, 0.4, S ("claim", "rule-does-not-fit"), FALSE, 200, 25000,
    S ("Verzoek om af te zien van terugvordering afgewezen",
       "Terugvordering gehandhaafd; geen dringende redenen"),
    S ("Afgezien van terugvordering wegens dringende redenen",
       "Gedeeltelijk afgezien van terugvordering na schuldsanering",
       "Restschuld kwijtgescholden na vijf jaar aflossen"),
    S ("Klant heeft vijf jaar lang volledig afgelost en heeft nog {bedrag} openstaan.",
       "Klant heeft een WSNP-traject afgerond.",
       "Terugvordering zou leiden tot een inkomen onder de beslagvrije voet."),
    S ("h:Dringende redenen: doorgaan met terugvorderen leidt tot onaanvaardbare sociale gevolgen.",
       "p:De opbrengst van verdere invordering is klein; de gevolgen voor de klant zijn groot.",
       "c:Kwijtschelding geeft klant de kans om schuldenvrij opnieuw te beginnen.") },
  { "AWB-3:4-2", 3, 0.5, S ("rule-does-not-fit", "policy"), FALSE, 0, 0,
    S ("Besluit getoetst aan evenredigheid; geen aanpassing nodig",
       "Evenredigheid afgewogen; besluit gehandhaafd"),
    S ("Besluit aangepast omdat de gevolgen onevenredig zijn",
       "Evenredigheid: termijn van de maatregel verkort"),
    S ("De gevolgen van het besluit raken vooral de kinderen.",
       "Klant zou haar woning verliezen door het besluit."),
    S ("p:De nadelige gevolgen voor de klant zijn onevenredig in verhouding tot de met het besluit te dienen doelen.",
       "c:Het belang van de kinderen weegt zwaarder dan het doel van de regel in dit geval.") },
  { "AWB-4:84", 3, 0.55, S ("policy", "rule-does-not-fit"), FALSE, 0, 0,
    S ("Beleidsregel toegepast; geen bijzondere omstandigheden",
       "Beleidsregel gevolgd na toets op bijzondere omstandigheden"),
    S ("Afgeweken van beleidsregel wegens bijzondere omstandigheden",
       "Beleidsregel niet toegepast: onevenredige gevolgen"),
    S ("Klant valt buiten de doelgroep van de beleidsregel door een samenloop van omstandigheden.",
       "De beleidsregel gaat uit van een situatie die hier niet speelt."),
    S ("p:Toepassing van de beleidsregel zou voor deze klant gevolgen hebben die onevenredig zijn in verhouding tot de doelen van de beleidsregel (artikel 4:84 Awb).",
       "n:De beleidsregel voorziet niet in deze samenloop van omstandigheden.") },
  { "LOC-VMP-VERLAGING", 5, 0.3, S ("sanction"), TRUE, 0, 0,
    S ("Verlaging volgens de verordening: 20% gedurende een maand",
       "Verlaging van 50% bij herhaling opgelegd"),
    S ("Verlaging korter dan de verordening voorschrijft",
       "Verlaging verlaagd vanwege verminderde verwijtbaarheid"),
    S ("Klant kwam in {maand} twee keer niet opdagen, maar had toen net een kind gekregen.",
       "Klant had een psychische crisis in de periode van de gedraging."),
    S ("p:De standaardduur staat niet in verhouding tot de verminderde verwijtbaarheid.",
       "c:Een langere verlaging zou het herstel en de zorg voor het kind in gevaar brengen.") },
  { "LOC-BB-DREMPEL", 4, 0.35, S ("claim", "policy"), FALSE, 20, 600,
    S ("Bijzondere bijstand afgewezen: kosten onder het drempelbedrag",
       "Drempelbedrag toegepast op de aanvraag"),
    S ("Drempelbedrag niet toegepast bij herhaalde kleine kosten",
       "Kosten onder de drempel toch vergoed"),
    S ("Klant heeft elke maand kleine medische kosten die samen boven {bedrag} per jaar uitkomen.",
       "Klant kan ook kleine kosten niet dragen door beslag op de uitkering."),
    S ("p:Het drempelbedrag is bedoeld om kleine eenmalige kosten uit te sluiten, niet om terugkerende noodzakelijke kosten onbetaald te laten.",
       "d:De regel past niet bij kosten die elke maand terugkomen.") },
  { "LOC-TV-KLEIN", 3, 0.15, S ("claim", "usual-practice"), FALSE, 5, 250,
    S ("Klein bedrag niet teruggevorderd volgens beleid",
       "Bedrag boven de grens teruggevorderd"),
    S ("Klein bedrag toch teruggevorderd wegens herhaling",
       "Bedrag net boven de grens niet teruggevorderd"),
    S ("Het gaat om de derde keer dit jaar.",
       "De invorderingskosten zijn hoger dan het bedrag."),
    S ("a:Herhaling vraagt om een duidelijk signaal; de regel gaat uit van een eenmalige vergissing.",
       "p:De kosten van invordering zijn hoger dan de opbrengst.") },
  { "LOC-IIT", 3, 0.2, S ("claim"), FALSE, 300, 600,
    S ("Inkomenstoeslag toegekend volgens de voorwaarden",
       "Inkomenstoeslag afgewezen: niet voldaan aan de referteperiode"),
    S ("Referteperiode niet strikt toegepast",
       "Toeslag toegekend ondanks studie in de referteperiode"),
    S ("Klant volgde in de referteperiode een korte opleiding van {weken} weken.",
       "Klant had een maand inkomen net boven de grens."),
    S ("n:De voorwaarden voorzien niet in een korte opleiding die juist de kansen op werk vergroot.",
       "p:Eén maand net boven de grens maakt de situatie niet anders.") },
  { "WI-HUISBEZOEK", 2, 0.2, S ("usual-practice", "means"), FALSE, 0, 0,
    S ("Huisbezoek afgelegd volgens de werkinstructie",
       "Onaangekondigd huisbezoek na signaal"),
    S ("Afgezien van huisbezoek; gesprek op kantoor",
       "Huisbezoek aangekondigd in plaats van onaangekondigd"),
    S ("Klant heeft een angststoornis; een onaangekondigd bezoek zou de behandeling schaden.",
       "Er wonen jonge kinderen in huis die van een vorig bezoek erg geschrokken zijn."),
    S ("c:Met een aangekondigd bezoek bereiken we hetzelfde doel zonder schade voor de klant.",
       "h:Een gesprek op kantoor geeft voldoende zekerheid en voorkomt escalatie.") },
  { "TA-CONTACT-MAATREGEL", 2, 0.15, S ("sanction"), TRUE, 0, 0,
    S ("Persoonlijk gesprek gevoerd vóór de maatregel",
       "Maatregel na gesprek met klant opgelegd"),
    S ("Maatregel zonder voorafgaand gesprek wegens onbereikbaarheid",
       "Gesprek telefonisch in plaats van persoonlijk"),
    S ("Klant was drie weken onbereikbaar, ook via het wijkteam.",
       "Klant woont tijdelijk in het buitenland bij familie."),
    S ("a:Ondanks herhaalde pogingen was klant niet bereikbaar; de maatregel is nodig om de termijn te halen.",
       "d:Een telefonisch gesprek was in deze situatie voldoende.") },
  { "TA-RUGGESPRAAK", 2, 0.1, S ("usual-practice"), FALSE, 0, 0,
    S ("Ruggespraak gehouden vóór het besluit",
       "Besluit voorgelegd aan collega"),
    S ("Besluit zonder ruggespraak wegens spoed"),
    S ("Klant stond dezelfde dag op straat."),
    S ("h:Wachten op ruggespraak zou de noodsituatie verergeren; achteraf besproken met collega.") },
};

/* Used for rules the starter catalogue does not know (a municipality's own). */
static const RuleTemplate generic_template = {
  NULL, 2, 0.3, S ("which-rule", "rule-does-not-fit", "usual-practice"), FALSE, 0, 0,
  S ("Regel toegepast na gesprek met klant", "Regel toegepast; geen bijzondere omstandigheden"),
  S ("Afgeweken van de regel wegens bijzondere omstandigheden",
     "Regel niet toegepast: onevenredige gevolgen"),
  S ("De situatie van klant wijkt af van wat de regel veronderstelt."),
  S ("p:Toepassing zou gevolgen hebben die niet in verhouding staan tot het doel van de regel.",
     "n:De regel voorziet niet in deze situatie."),
};

#undef S

static const struct {
  RrReflectionKind  kind;
  const char       *title;
  const char       *body;
} reflection_texts[] = {
  { RR_REFLECTION_FREE, "Wanneer is een waarschuwing genoeg?",
    "Ik merk dat ik bij verlagingen steeds vaker kies voor een waarschuwing. Is dat consequent "
    "genoeg? Bespreken in intervisie." },
  { RR_REFLECTION_HITTEMOMENT, "Gesprek liep hoog op",
    "Klant werd boos toen de verlaging ter sprake kwam. Ik heb het gesprek onderbroken en later "
    "telefonisch hervat. Wat had ik anders kunnen doen?" },
  { RR_REFLECTION_INTERVENTIEMOMENT, "Schuldhulp eerder inschakelen",
    "Achteraf had de schuldhulpverlener eerder aan tafel moeten zitten; de huurachterstand was "
    "toen nog klein." },
  { RR_REFLECTION_NAZORGMOMENT, "Terugblik na drie maanden",
    "De tijdelijke ontheffing heeft gewerkt: klant is hersteld en gestart met een "
    "werkervaringsplek." },
  { RR_REFLECTION_CASE_STORY, "Een fiets als begin",
    "Met bijzondere bijstand voor een fiets kon een klant een baan in de haven aannemen. Een "
    "klein bedrag, een groot verschil." },
  { RR_REFLECTION_FREE, "Gelijke gevallen",
    "In ons team verschillen we sterk in hoe vaak we afwijken bij art. 18 lid 2. Ik wil dat "
    "graag samen bekijken." },
};

static const struct {
  const char *chafes;
  const char *proposal;
} signal_texts[] = {
  { "Het drempelbedrag raakt vooral klanten met terugkerende kleine kosten.",
    "Drempel per jaar in plaats van per aanvraag toepassen." },
  { "De standaardduur van de verlaging past slecht bij verminderde verwijtbaarheid.",
    "Een trap met kortere duur bij eerste gedraging." },
  { "De regel gaat uit van volledige beschikbaarheid; mantelzorgers vallen ertussen.",
    "Mantelzorg expliciet opnemen als grond voor tijdelijke aanpassing." },
  { "Terugvordering van kleine bedragen kost meer dan het oplevert.",
    "De grens voor kleine bedragen verhogen." },
};

/* ------------------------------------------------------------ generator */

typedef struct {
  gint64   id;
  char    *login;
  int      team;
  RrRoles  roles;
  double   factor;       /* personal inclination to deviate */
} DemoUser;

typedef struct {
  char   *name;
  int     leader;        /* index into users, -1 none */
  GArray *members;       /* (int) klantmanagers */
  double  factor;
} DemoTeam;

typedef struct {
  gint64  id;
  char   *uuid;
  int     owner;
  guint32 opened;        /* julian days */
  guint32 closed;        /* 0: active */
} DemoClient;

typedef struct {
  RrRule             *rule;
  const RuleTemplate *tmpl;
  guint32             from;
  guint32             to;
} DemoRule;

typedef struct {
  char *number;
  char *actor;
  char *reason;
} Withdrawal;

typedef struct {
  char *number;
  int   author;
  char *rule_code;
} Sample;

typedef struct {
  RrStore      *store;
  GRand        *rand;
  char         *admin;
  GArray       *users;     /* DemoUser */
  GArray       *teams;     /* DemoTeam */
  GArray       *kms;       /* (int) every klantmanager */
  GArray       *clients;   /* DemoClient */
  GArray       *rules;     /* DemoRule */
  GPtrArray    *rule_list;
  GArray       *workdays;  /* guint32 */
  GArray       *withdrawals; /* Withdrawal, per batch */
  GArray       *samples;   /* Sample: deviations to link reflections and signals to */
  guint32       today;
  guint32       date_base;
  GPtrArray    *date_text; /* julian - date_base → "YYYY-MM-DD" */
  GHashTable   *months_later; /* (julian << 16 | months) → "YYYY-MM-DD" */
  char         *now;
  int           follow_up_months;
  int           retention_years;
  GString      *buf;
  GPtrArray    *deferred_indexes;  /* CREATE INDEX and TRIGGER statements to run at the end */
  GHashTable   *counters;          /* year → last decision number, written per batch */
  struct _Staging *staging;        /* while the decisions go in on two threads */
  struct _Tally   *tally;          /* the report summary's monthly counts */
} Demo;

typedef struct _Tally Tally;
static void tally_free (Tally *tally);

static void
withdrawal_clear (gpointer data)
{
  Withdrawal *w = data;

  g_free (w->number);
  g_free (w->actor);
  g_free (w->reason);
}

static void
sample_clear (gpointer data)
{
  Sample *s = data;

  g_free (s->number);
  g_free (s->rule_code);
}

static void
demo_clear (Demo *demo)
{
  if (demo->users != NULL)
    for (guint i = 0; i < demo->users->len; i++)
      g_free (g_array_index (demo->users, DemoUser, i).login);
  if (demo->teams != NULL)
    for (guint i = 0; i < demo->teams->len; i++)
      {
        DemoTeam *t = &g_array_index (demo->teams, DemoTeam, i);
        g_free (t->name);
        g_array_unref (t->members);
      }
  if (demo->clients != NULL)
    for (guint i = 0; i < demo->clients->len; i++)
      g_free (g_array_index (demo->clients, DemoClient, i).uuid);
  g_clear_pointer (&demo->users, g_array_unref);
  g_clear_pointer (&demo->teams, g_array_unref);
  g_clear_pointer (&demo->kms, g_array_unref);
  g_clear_pointer (&demo->clients, g_array_unref);
  g_clear_pointer (&demo->rules, g_array_unref);
  g_clear_pointer (&demo->rule_list, g_ptr_array_unref);
  g_clear_pointer (&demo->workdays, g_array_unref);
  g_clear_pointer (&demo->withdrawals, g_array_unref);
  g_clear_pointer (&demo->samples, g_array_unref);
  g_clear_pointer (&demo->date_text, g_ptr_array_unref);
  g_clear_pointer (&demo->months_later, g_hash_table_unref);
  g_clear_pointer (&demo->rand, g_rand_free);
  g_clear_pointer (&demo->admin, g_free);
  g_clear_pointer (&demo->now, g_free);
  g_clear_pointer (&demo->deferred_indexes, g_ptr_array_unref);
  g_clear_pointer (&demo->counters, g_hash_table_unref);
  g_clear_pointer (&demo->tally, tally_free);
  if (demo->buf != NULL)
    g_string_free (demo->buf, TRUE);
  demo->buf = NULL;
}

#define PICK(demo, array) ((array)[g_rand_int_range ((demo)->rand, 0, G_N_ELEMENTS (array))])

static gboolean
chance (Demo   *demo,
        double  p)
{
  return g_rand_double (demo->rand) < p;
}

static int
range (Demo *demo,
       int   lo,
       int   hi)   /* inclusive */
{
  return g_rand_int_range (demo->rand, lo, hi + 1);
}

static guint
count_strings (const char * const *strings)
{
  guint n = 0;

  while (strings[n] != NULL)
    n++;
  return n;
}

static const char *
pick_string (Demo               *demo,
             const char * const *strings)
{
  return strings[g_rand_int_range (demo->rand, 0, count_strings (strings))];
}

static guint32
julian_of (const char *date)
{
  int y, m, d;
  GDate gdate;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3
      || !g_date_valid_dmy (d, m, y))
    return 0;
  g_date_clear (&gdate, 1);
  g_date_set_dmy (&gdate, d, m, y);
  return g_date_get_julian (&gdate);
}

static char *
format_julian (guint32 julian)
{
  GDate gdate;

  g_date_clear (&gdate, 1);
  g_date_set_julian (&gdate, julian);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&gdate),
                          g_date_get_month (&gdate), g_date_get_day (&gdate));
}

/* A cached "YYYY-MM-DD" for days in the generated range. */
static const char *
date_text (Demo    *demo,
           guint32  julian)
{
  guint i;

  g_assert (julian >= demo->date_base);
  i = julian - demo->date_base;
  while (demo->date_text->len <= i)
    g_ptr_array_add (demo->date_text,
                     format_julian (demo->date_base + demo->date_text->len));
  return g_ptr_array_index (demo->date_text, i);
}

/* rr_date_add_months () of a day in the generated range, cached: a few
 * thousand days with a few month counts each, asked for twice per
 * decision. */
static char *
months_later (Demo    *demo,
              guint32  julian,
              int      months)
{
  gint64 key = ((gint64) julian << 16) | (months & 0xffff);
  const char *text;

  if (months < 0 || months > 0xffff)
    return rr_date_add_months (date_text (demo, julian), months);
  text = g_hash_table_lookup (demo->months_later, &key);
  if (text == NULL)
    {
      char *added = rr_date_add_months (date_text (demo, julian), months);

      g_hash_table_insert (demo->months_later, g_memdup2 (&key, sizeof key), added);
      text = added;
    }
  return g_strdup (text);
}

static int
year_of (Demo    *demo,
         guint32  julian)
{
  return atoi (date_text (demo, julian));
}

/* An ISO 8601 UTC timestamp on @julian during office hours, never later
 * than now. */
static char *
timestamp_on (Demo    *demo,
              guint32  julian)
{
  int seconds = range (demo, 7 * 3600 + 30 * 60, 17 * 3600);
  int micro = range (demo, 0, 999999);
  char *text;

  if (julian > demo->today)
    julian = demo->today;
  text = g_strdup_printf ("%sT%02d:%02d:%02d.%06dZ", date_text (demo, julian), seconds / 3600,
                          (seconds / 60) % 60, seconds % 60, micro);
  if (strcmp (text, demo->now) > 0)
    {
      g_free (text);
      text = g_strdup (demo->now);
    }
  return text;
}

static void
format_euros (GString *out,
              gint64   cents)
{
  gint64 euros = cents / 100;
  char digits[32];
  int len;

  len = g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, euros);
  g_string_append (out, "€ ");
  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, '.');
      g_string_append_c (out, digits[i]);
    }
  if (cents % 100 != 0)
    g_string_append_printf (out, ",%02d", (int) (cents % 100));
}

/* Appends @template with its {slots} filled in. */
static void
expand (Demo       *demo,
        GString    *out,
        const char *template,
        int         year)
{
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;

      if (open == NULL || (close = strchr (open, '}')) == NULL)
        {
          g_string_append (out, p);
          return;
        }
      g_string_append_len (out, p, open - p);
      p = close + 1;

#define SLOT(name) (close - open - 1 == (int) strlen (name) && strncmp (open + 1, name, strlen (name)) == 0)
      if (SLOT ("bedrag"))
        format_euros (out, (gint64) range (demo, 8, 2500) * 1000);
      else if (SLOT ("uren"))
        g_string_append_printf (out, "%d", range (demo, 4, 32));
      else if (SLOT ("maand"))
        g_string_append (out, PICK (demo, month_names));
      else if (SLOT ("weken"))
        g_string_append_printf (out, "%d", range (demo, 2, 12));
      else if (SLOT ("n"))
        g_string_append (out, PICK (demo, small_numbers));
      else if (SLOT ("leeftijd"))
        g_string_append_printf (out, "%d", range (demo, 27, 66));
      else if (SLOT ("jong"))
        g_string_append_printf (out, "%d", range (demo, 18, 26));
      else if (SLOT ("jaar"))
        g_string_append_printf (out, "%d", year - range (demo, 1, 6));
      else
        g_string_append_len (out, open, close - open + 1);
#undef SLOT
    }
}

static char *
expand_new (Demo       *demo,
            const char *template,
            int         year)
{
  g_string_truncate (demo->buf, 0);
  expand (demo, demo->buf, template, year);
  return g_strdup (demo->buf->str);
}

/* Realistic Dutch names; logins as initial plus surname ("jdevries3"). */
static char *
make_login (const char  *first,
            const char  *surname,
            GHashTable  *taken)
{
  g_autofree char *ascii_first = g_str_to_ascii (first, "C");
  g_autofree char *ascii_last = g_str_to_ascii (surname, "C");
  GString *base = g_string_new (NULL);
  g_autofree char *stem = NULL;
  char *login;

  g_string_append_c (base, g_ascii_tolower (ascii_first[0]));
  for (const char *p = ascii_last; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (base, g_ascii_tolower (*p));
  stem = g_string_free (base, FALSE);

  login = g_strdup (stem);
  for (int n = 2; g_hash_table_contains (taken, login); n++)
    {
      g_free (login);
      login = g_strdup_printf ("%s%d", stem, n);
    }
  g_hash_table_add (taken, g_strdup (login));
  return login;
}

static char *
make_name (Demo *demo)
{
  return g_strdup_printf ("%s %s", PICK (demo, first_names), PICK (demo, surnames));
}

/* Nine digits that pass the elfproef. */
static char *
make_bsn (Demo       *demo,
          GHashTable *taken)
{
  for (;;)
    {
      char digits[10];
      int sum = 0;

      for (int i = 0; i < 8; i++)
        {
          int d = i == 0 ? range (demo, 1, 6) : range (demo, 0, 9);
          digits[i] = '0' + d;
          sum += (9 - i) * d;
        }
      if (sum % 11 == 10)
        continue;
      digits[8] = '0' + sum % 11;
      digits[9] = '\0';
      if (g_hash_table_contains (taken, digits))
        continue;
      g_hash_table_add (taken, g_strdup (digits));
      g_assert (rr_bsn_is_valid (digits));
      return g_strdup (digits);
    }
}

static gboolean
find_admin (Demo    *demo,
            GError **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (demo->store,
                                          "SELECT u.login FROM users u JOIN user_roles r"
                                          " ON r.user_id = u.id WHERE r.role = 'beheerder'"
                                          " AND u.active = 1 ORDER BY u.id LIMIT 1", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    demo->admin = _rr_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (demo->admin == NULL)
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_NOT_INITIALISED,
                   _("The database has not been set up yet: initialise it before adding demo "
                     "data."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_user (Demo        *demo,
          GHashTable  *logins,
          int          team,
          RrRoles      roles,
          GError     **error)
{
  g_autofree char *first = g_strdup (PICK (demo, first_names));
  g_autofree char *last = g_strdup (PICK (demo, surnames));
  g_autofree char *display = g_strdup_printf ("%s %s", first, last);
  DemoUser user = { 0 };
  const char *team_name = g_array_index (demo->teams, DemoTeam, team).name;

  user.login = make_login (first, last, logins);
  while (_rr_user_id (demo->store, user.login) != 0)
    {
      g_free (user.login);
      user.login = make_login (first, last, logins);
    }
  if (!rr_users_add (demo->store, demo->admin, user.login, display, team_name, roles, error))
    {
      g_free (user.login);
      return FALSE;
    }
  user.id = _rr_user_id (demo->store, user.login);
  user.team = team;
  user.roles = roles;
  user.factor = 0.6 + 0.8 * g_rand_double (demo->rand);
  g_array_append_val (demo->users, user);
  return TRUE;
}

static gboolean
create_users (Demo     *demo,
              guint     n_decisions,
              GError  **error)
{
  g_autoptr(GHashTable) logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_users = MAX (12, (n_decisions + DECISIONS_PER_USER / 2) / DECISIONS_PER_USER);
  guint n_teams = CLAMP (n_users / 25, 2, G_N_ELEMENTS (team_names));
  guint n_auditors = MAX (1, n_users / 150);
  guint n_kms = n_users - n_teams - n_auditors;
  double total_weight = 0;
  g_autofree double *weights = g_new0 (double, n_teams);

  for (guint t = 0; t < n_teams; t++)
    {
      DemoTeam team = { 0 };

      team.name = g_strdup (team_names[t]);
      team.leader = -1;
      team.members = g_array_new (FALSE, FALSE, sizeof (int));
      team.factor = 0.8 + 0.4 * g_rand_double (demo->rand);
      weights[t] = 0.6 + 0.8 * g_rand_double (demo->rand);
      total_weight += weights[t];
      g_array_append_val (demo->teams, team);
    }

  for (guint t = 0; t < n_teams; t++)
    {
      if (!add_user (demo, logins, (int) t, RR_ROLE_TEAMLEIDER, error))
        return FALSE;
      g_array_index (demo->teams, DemoTeam, t).leader = (int) demo->users->len - 1;
    }
  for (guint i = 0; i < n_auditors; i++)
    if (!add_user (demo, logins, 0, RR_ROLE_AUDITOR, error))
      return FALSE;

  for (guint i = 0; i < n_kms; i++)
    {
      int team;
      int index;

      /* At least two klantmanagers per team, then teams of varied size. */
      if (i < 2 * n_teams)
        team = (int) (i % n_teams);
      else
        {
          double r = g_rand_double (demo->rand) * total_weight;
          team = 0;
          while (team < (int) n_teams - 1 && r >= weights[team])
            r -= weights[team++];
        }
      if (!add_user (demo, logins, team, RR_ROLE_KLANTMANAGER, error))
        return FALSE;
      index = (int) demo->users->len - 1;
      g_array_append_val (g_array_index (demo->teams, DemoTeam, team).members, index);
      g_array_append_val (demo->kms, index);
    }
  return TRUE;
}

static gboolean
create_clients (Demo            *demo,
                guint            n_decisions,
                RrProgressFunc   progress,
                gpointer         user_data,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GHashTable) bsns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) per_year = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint n_clients = MAX (20, n_decisions / DECISIONS_PER_CLIENT);
  guint32 first = demo->today - 365 * (YEARS_OF_HISTORY + 1);
  guint32 last = demo->today - 30;

  if (!_rr_store_begin (demo->store, error))
    return FALSE;

  for (guint k = 0; k < n_clients; k++)
    {
      DemoClient client = { 0 };
      g_autofree char *name = make_name (demo);
      g_autofree char *bsn = NULL;
      g_autofree char *dossier = NULL;
      const DemoUser *owner;
      int year;
      guint serial;

      if (k > 0 && k % BATCH_SIZE == 0)
        {
          if (!_rr_store_commit (demo->store, error))
            return FALSE;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (progress != NULL)
            progress (0.02 + 0.03 * k / n_clients, user_data);
          if (!_rr_store_begin (demo->store, error))
            return FALSE;
        }

      client.opened = first + (guint32) ((guint64) k * (last - first) / n_clients);
      if (client.opened + ACTIVE_DAYS + 120 < demo->today && chance (demo, 0.7))
        client.closed = client.opened + ACTIVE_DAYS + range (demo, 0, 120);
      client.owner = g_array_index (demo->kms, int,
                                    g_rand_int_range (demo->rand, 0, demo->kms->len));
      owner = &g_array_index (demo->users, DemoUser, client.owner);
      if (chance (demo, 0.6))
        bsn = make_bsn (demo, bsns);
      year = year_of (demo, client.opened);
      serial = GPOINTER_TO_UINT (g_hash_table_lookup (per_year, GINT_TO_POINTER (year))) + 1;
      g_hash_table_insert (per_year, GINT_TO_POINTER (year), GUINT_TO_POINTER (serial));
      dossier = g_strdup_printf ("D-%04d-%06u", year, serial);

      client.id = _rr_client_insert (demo->store, owner->login, owner->id, dossier, name, bsn,
                                     date_text (demo, client.opened),
                                     client.closed != 0 ? date_text (demo, client.closed) : NULL,
                                     &client.uuid, error);
      if (client.id == 0)
        {
          _rr_store_rollback (demo->store);
          return FALSE;
        }
      g_array_append_val (demo->clients, client);
    }
  return _rr_store_commit (demo->store, error);
}

static const RuleTemplate *
template_for (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_templates); i++)
    if (g_str_equal (rule_templates[i].code, code))
      return &rule_templates[i];
  return &generic_template;
}

static gboolean
load_rules (Demo     *demo,
            GError  **error)
{
  demo->rule_list = rr_rules_list (demo->store, TRUE, error);
  if (demo->rule_list == NULL)
    return FALSE;
  for (guint i = 0; i < demo->rule_list->len; i++)
    {
      RrRule *rule = g_ptr_array_index (demo->rule_list, i);
      DemoRule r = { rule, template_for (rule->code), julian_of (rule->valid_from),
                     rule->valid_to != NULL ? julian_of (rule->valid_to) : G_MAXUINT32 };

      g_array_append_val (demo->rules, r);
    }
  if (demo->rules->len == 0)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("The database holds no rules to record demo decisions under. Import a "
                     "rule catalogue first."));
      return FALSE;
    }
  return TRUE;
}

/* A rule version in force on @day, weighted by how often the rule is used. */
static const DemoRule *
pick_rule (Demo    *demo,
           guint32  day)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < demo->rules->len; i++)
    {
      const DemoRule *rule = &g_array_index (demo->rules, DemoRule, i);
      if (rule->from <= day && day <= rule->to)
        total += rule->tmpl->weight;
    }
  if (total == 0)
    return NULL;
  r = g_rand_int_range (demo->rand, 0, total);
  for (guint i = 0; i < demo->rules->len; i++)
    {
      const DemoRule *rule = &g_array_index (demo->rules, DemoRule, i);
      if (rule->from <= day && day <= rule->to)
        {
          if (r < rule->tmpl->weight)
            return rule;
          r -= rule->tmpl->weight;
        }
    }
  g_assert_not_reached ();
}

/* Clients sorted by opening date: the first index opened after @day. */
static guint
clients_opened_by (Demo    *demo,
                   gint64   day)
{
  guint lo = 0, hi = demo->clients->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if ((gint64) g_array_index (demo->clients, DemoClient, mid).opened <= day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static const DemoClient *
pick_client (Demo    *demo,
             guint32  day)
{
  guint hi = MAX (1, clients_opened_by (demo, day));
  guint lo = MIN (hi - 1, clients_opened_by (demo, (gint64) day - ACTIVE_DAYS));

  /* Mostly recent clients; long-standing ones when still open. */
  for (int tries = 0; tries < 6; tries++)
    {
      const DemoClient *c = &g_array_index (demo->clients, DemoClient,
                                            g_rand_int_range (demo->rand, 0, hi));
      if (c->closed == 0 || c->closed >= day)
        return c;
    }
  return &g_array_index (demo->clients, DemoClient, g_rand_int_range (demo->rand, lo, hi));
}

static const char *
reason_code (char letter)
{
  switch (letter)
    {
    case 'd': return "does-not-fit";
    case 'p': return "disproportionate";
    case 'c': return "client-interest";
    case 'h': return "prevents-harm";
    case 'n': return "not-foreseen";
    default:  return "anders";
    }
}

static const char *
kind_for (Demo               *demo,
          const RuleTemplate *tmpl)
{
  const char *kind;

  if (chance (demo, 0.02))
    return "anders";
  kind = chance (demo, 0.7) ? tmpl->kinds[0] : pick_string (demo, tmpl->kinds);
  return kind;
}

static void
fill_deviation (Demo               *demo,
                const RuleTemplate *tmpl,
                RrDecisionInput    *in,
                int                 year)
{
  const char *explanation = pick_string (demo, tmpl->explanations);
  const char *first;
  const char *second = NULL;
  guint n_weighings;

  in->summary = expand_new (demo, pick_string (demo, tmpl->deviated), year);

  g_string_truncate (demo->buf, 0);
  first = pick_string (demo, tmpl->circumstances);
  expand (demo, demo->buf, first, year);
  if (chance (demo, 0.75))
    {
      second = PICK (demo, shared_circumstances);
      g_string_append_c (demo->buf, ' ');
      expand (demo, demo->buf, second, year);
    }
  if (chance (demo, 0.3))
    {
      const char *third = PICK (demo, shared_circumstances);
      if (third != second)
        {
          g_string_append_c (demo->buf, ' ');
          expand (demo, demo->buf, third, year);
        }
    }
  in->circumstances = g_strdup (demo->buf->str);

  g_string_truncate (demo->buf, 0);
  expand (demo, demo->buf, explanation + 2, year);
  if (chance (demo, 0.5))
    {
      g_string_append_c (demo->buf, ' ');
      expand (demo, demo->buf, PICK (demo, shared_closings), year);
    }
  in->explanation = g_strdup (demo->buf->str);
  in->reason = g_strdup (chance (demo, 0.9) ? reason_code (explanation[0])
                                            : reason_code ("dpchna"[range (demo, 0, 5)]));

  /* Weighings on most deviations: one to three domains. */
  if (chance (demo, 0.85))
    {
      n_weighings = range (demo, 1, 3);
      for (guint i = 0; i < n_weighings; i++)
        {
          guint d = g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (domain_codes));
          RrRelevance relevance = i == 0 || chance (demo, 0.3) ? RR_RELEVANCE_DECISIVE
                                                               : RR_RELEVANCE_SOME;
          rr_decision_input_set_weighing (in, domain_codes[d], relevance,
                                          chance (demo, 0.8) ? pick_string (demo, domain_notes[d])
                                                             : NULL);
        }
    }

  /* The optional structure of the kader, filled in by some. */
  if (chance (demo, 0.35))
    {
      if (chance (demo, 0.6))
        in->principles = g_strdup (PICK (demo, principles));
      if (chance (demo, 0.5))
        in->knowledge = expand_new (demo, PICK (demo, knowledge), year);
      if (chance (demo, 0.4))
        in->experiences = g_strdup (PICK (demo, experiences));
      if (chance (demo, 0.6))
        in->alternatives = g_strdup (PICK (demo, alternatives));
      if (chance (demo, 0.6))
        {
          in->client_view = g_strdup (PICK (demo, client_views));
          in->client_agrees = chance (demo, 0.8) ? 1 : 0;
        }
      if (chance (demo, 0.5))
        in->stakeholders = g_strdup (PICK (demo, stakeholders));
      if (chance (demo, 0.3))
        in->risk = g_strdup (PICK (demo, risks));
    }
}

/* Values for a first version; the caller inserts them. */
/* Decision numbers per year, counted here and written to the counters
 * table with each batch, as rr_decisions_record () counts them one by one. */
static gboolean
load_counters (Demo     *demo,
               GError  **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (demo->store, "SELECT year, last FROM counters", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  demo->counters = g_hash_table_new (NULL, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (demo->counters, GINT_TO_POINTER (sqlite3_column_int (stmt, 0)),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _rr_store_set_error (demo->store, rc, error);
      return FALSE;
    }
  return TRUE;
}

static char *
next_number (Demo *demo,
             int   year)
{
  int last = GPOINTER_TO_INT (g_hash_table_lookup (demo->counters, GINT_TO_POINTER (year))) + 1;

  g_hash_table_insert (demo->counters, GINT_TO_POINTER (year), GINT_TO_POINTER (last));
  return g_strdup_printf ("RR-%04d-%06d", year, last);
}

static gboolean
save_counters (Demo     *demo,
               GError  **error)
{
  GHashTableIter iter;
  gpointer year, last;

  g_hash_table_iter_init (&iter, demo->counters);
  while (g_hash_table_iter_next (&iter, &year, &last))
    {
      sqlite3_stmt *stmt = _rr_store_prepare (demo->store,
                                              "INSERT INTO counters (year, last) VALUES (?1, ?2)"
                                              " ON CONFLICT (year) DO UPDATE SET last = ?2",
                                              error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, GPOINTER_TO_INT (year));
      sqlite3_bind_int (stmt, 2, GPOINTER_TO_INT (last));
      if (!_rr_step_done (demo->store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
build_decision (Demo              *demo,
                guint32            day,
                RrDecisionValues  *v,
                const DemoClient **client_out,
                int               *author_out,
                GError           **error)
{
  const DemoClient *client = pick_client (demo, day);
  const DemoUser *owner = &g_array_index (demo->users, DemoUser, client->owner);
  const DemoTeam *team = &g_array_index (demo->teams, DemoTeam, owner->team);
  const DemoRule *rule;
  const RuleTemplate *tmpl;
  const DemoUser *author;
  RrDecisionInput *in;
  int author_index = client->owner;
  int year = year_of (demo, day);
  double rate;
  int months;

  /* Now and then a colleague stands in for the owner. */
  if (team->members->len > 1 && chance (demo, 0.1))
    author_index = g_array_index (team->members, int,
                                  g_rand_int_range (demo->rand, 0, team->members->len));
  author = &g_array_index (demo->users, DemoUser, author_index);

  rule = pick_rule (demo, day);
  if (rule == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_NOT_FOUND,
                   _("No rule is in force on %s to record a demo decision under."),
                   date_text (demo, day));
      return FALSE;
    }
  tmpl = rule->tmpl;

  v->input = in = rr_decision_input_new ();
  in->client = NULL;
  in->rule = g_strdup (rule->rule->code);
  in->kind = g_strdup (kind_for (demo, tmpl));
  if (!rr_vocab_contains (demo->store, RR_VOCAB_KIND, in->kind))
    {
      g_free (in->kind);
      in->kind = g_strdup ("anders");
    }
  in->decision_date = g_strdup (date_text (demo, day));

  rate = CLAMP (tmpl->deviation_rate * team->factor * author->factor, 0.02, 0.9);
  if (chance (demo, rate))
    {
      in->outcome = RR_OUTCOME_DEVIATED;
      fill_deviation (demo, tmpl, in, year);
    }
  else
    {
      in->outcome = RR_OUTCOME_APPLIED;
      in->summary = expand_new (demo, pick_string (demo, tmpl->applied), year);
    }

  if (tmpl->amount_max > 0 && (g_str_equal (in->kind, "claim") || chance (demo, 0.7)))
    {
      double lo = log (tmpl->amount_min), hi = log (tmpl->amount_max);
      gint64 euros = (gint64) exp (lo + (hi - lo) * g_rand_double (demo->rand));

      in->has_amount = TRUE;
      in->amount_cents = chance (demo, 0.6) ? euros * 100 : euros * 100 + range (demo, 1, 99);
    }

  if (tmpl->sanction)
    {
      in->sanction = in->outcome == RR_OUTCOME_APPLIED || chance (demo, 0.25)
                     ? RR_SANCTION_IMPOSED : RR_SANCTION_REFRAINED;
      /* One in ten without personal contact first: the report should find them. */
      if (chance (demo, 0.9))
        in->contact_date = g_strdup (date_text (demo, MAX (client->opened,
                                                           day - (guint32) range (demo, 0, 10))));
    }
  if (in->outcome == RR_OUTCOME_DEVIATED && chance (demo, 0.3))
    in->rights_explained = g_strdup (date_text (demo, MAX (client->opened,
                                                           day - (guint32) range (demo, 0, 30))));

  months = demo->follow_up_months;
  if (chance (demo, 0.3))
    months = (int[]) { 1, 2, 6, 12 }[range (demo, 0, 3)];
  in->follow_up = months_later (demo, day, months);

  v->uuid = rr_uuid_new ();
  v->version = 1;
  v->number = next_number (demo, year);
  v->client_id = client->id;
  v->client_uuid = g_strdup (client->uuid);
  v->author_id = author->id;
  v->author_login = g_strdup (author->login);
  v->team = g_strdup (team->name);
  v->recorded_at = timestamp_on (demo, day + (chance (demo, 0.2) ? 1 : 0));
  v->rule_id = rule->rule->id;
  v->rule_uuid = g_strdup (rule->rule->uuid);
  v->rule_code = g_strdup (rule->rule->code);
  v->rule_version = rule->rule->version;
  v->within_mandate = _rr_mandate_allows (demo->store, author->roles, in->kind, in->has_amount,
                                          in->amount_cents);
  if (!v->within_mandate)
    v->needs_review = RR_REVIEW_STATE_APPROVAL_NEEDED;
  else if (in->outcome == RR_OUTCOME_DEVIATED)
    v->needs_review = RR_REVIEW_STATE_FOR_INFORMATION;
  else
    v->needs_review = RR_REVIEW_STATE_NOT_NEEDED;
  v->weighings_text = _rr_weighings_to_text (in);
  v->retention_until = months_later (demo, day, 12 * (rule->rule->retention_years > 0
                                                      ? rule->rule->retention_years
                                                      : demo->retention_years));
  *client_out = client;
  *author_out = author_index;
  return TRUE;
}

/* A second version answering the teamleider: the same decision explained
 * better, or (after niet akkoord) the rule applied after all. */
static void
build_next_version (Demo                   *demo,
                    const RrDecisionValues *prev,
                    gint64                  prev_id,
                    gboolean                apply_after_all,
                    guint32                 day,
                    RrDecisionValues       *v)
{
  RrDecisionInput *in = rr_decision_input_copy (prev->input);

  if (apply_after_all)
    {
      g_free (in->summary);
      in->summary = g_strdup_printf ("Regel toch toegepast na overleg met teamleider (%s)",
                                     prev->rule_code);
      in->outcome = RR_OUTCOME_APPLIED;
      g_clear_pointer (&in->reason, g_free);
      if (in->sanction == RR_SANCTION_REFRAINED)
        in->sanction = RR_SANCTION_IMPOSED;
    }
  else
    {
      char *explanation = g_strconcat (in->explanation != NULL ? in->explanation : "",
                                       in->explanation != NULL ? " " : "",
                                       PICK (demo, answers), NULL);
      g_free (in->explanation);
      in->explanation = explanation;
    }

  v->input = in;
  v->uuid = rr_uuid_new ();
  v->number = g_strdup (prev->number);
  v->version = prev->version + 1;
  v->supersedes_id = prev_id;
  v->supersedes_uuid = g_strdup (prev->uuid);
  v->client_id = prev->client_id;
  v->client_uuid = g_strdup (prev->client_uuid);
  v->author_id = prev->author_id;
  v->author_login = g_strdup (prev->author_login);
  v->team = g_strdup (prev->team);
  v->recorded_at = timestamp_on (demo, day);
  v->rule_id = prev->rule_id;
  v->rule_uuid = g_strdup (prev->rule_uuid);
  v->rule_code = g_strdup (prev->rule_code);
  v->rule_version = prev->rule_version;
  v->within_mandate = prev->within_mandate;
  if (!v->within_mandate)
    v->needs_review = RR_REVIEW_STATE_APPROVAL_NEEDED;
  else if (in->outcome == RR_OUTCOME_DEVIATED)
    v->needs_review = RR_REVIEW_STATE_FOR_INFORMATION;
  else
    v->needs_review = RR_REVIEW_STATE_NOT_NEEDED;
  v->weighings_text = _rr_weighings_to_text (in);
  v->retention_until = g_strdup (prev->retention_until);
}

static RrVerdict
pick_verdict (Demo *demo)
{
  double r = g_rand_double (demo->rand);

  if (r < 0.78)
    return RR_VERDICT_AKKOORD;
  if (r < 0.88)
    return RR_VERDICT_AKKOORD_MET_AANVULLING;
  if (r < 0.96)
    return RR_VERDICT_VRAGEN;
  return RR_VERDICT_NIET_AKKOORD;
}

static const char *
verdict_comment (Demo      *demo,
                 RrVerdict  verdict)
{
  switch (verdict)
    {
    case RR_VERDICT_AKKOORD_MET_AANVULLING:
      return PICK (demo, verdict_aanvulling);
    case RR_VERDICT_VRAGEN:
      return PICK (demo, verdict_vragen);
    case RR_VERDICT_NIET_AKKOORD:
      return PICK (demo, verdict_niet);
    case RR_VERDICT_AKKOORD:
    case RR_VERDICT_NONE:
    default:
      return PICK (demo, verdict_ok_comments);
    }
}

static RrEffect
pick_effect (Demo          *demo,
             RrOutcomeKind  outcome)
{
  double r = g_rand_double (demo->rand);

  if (outcome == RR_OUTCOME_DEVIATED)
    return r < 0.5 ? RR_EFFECT_BEREIKT : r < 0.78 ? RR_EFFECT_DEELS
           : r < 0.9 ? RR_EFFECT_NIET : RR_EFFECT_ONBEKEND;
  return r < 0.6 ? RR_EFFECT_BEREIKT : r < 0.8 ? RR_EFFECT_DEELS
         : r < 0.88 ? RR_EFFECT_NIET : RR_EFFECT_ONBEKEND;
}

static void
add_withdrawal (Demo             *demo,
                const char       *number,
                const char       *actor,
                const char       *reason)
{
  Withdrawal w = { g_strdup (number), g_strdup (actor), g_strdup (reason) };

  g_array_append_val (demo->withdrawals, w);
}

static void
keep_sample (Demo                   *demo,
             const RrDecisionValues *v,
             int                     author)
{
  Sample s = { g_strdup (v->number), author, g_strdup (v->rule_code) };

  /* A bounded, evenly spread sample of deviations. */
  if (demo->samples->len < 400)
    g_array_append_val (demo->samples, s);
  else
    {
      guint i = g_rand_int_range (demo->rand, 0, demo->samples->len * 8);
      if (i < demo->samples->len)
        {
          sample_clear (&g_array_index (demo->samples, Sample, i));
          g_array_index (demo->samples, Sample, i) = s;
        }
      else
        sample_clear (&s);
    }
}

/* Two cores for the decisions. SQLite writes one file at a time, but two
 * files at once: the decisions, reviews and outcomes go into a staging copy
 * of the database beside it, written by a second thread on its own
 * connection, while this thread writes their ledger events, report facts
 * and full-text rows into the database itself. The staging connection
 * numbers every event (see RrLedgerSink) and hands it over here in order
 * with the rest, and with each of its commits and rollbacks; this side
 * chains the events and writes what was committed, all in one
 * transaction. At the end, in that same transaction, the staged rows are
 * copied into the database's empty tables (SQLite copies a table into an
 * empty one of the same shape record by record, without working each row
 * out again) and the transaction commits: the events and what they record
 * arrive together, or, after a failure on this side or a crash, neither
 * does. After a failure or a cancel on the staging side what it had
 * committed is copied all the same, with its events, as a committed batch
 * stayed before. */
typedef enum {
  STAGED_EVENT,
  STAGED_TEXT,
  STAGED_FACTS,
  STAGED_COMMIT,
  STAGED_ROLLBACK,
  STAGED_PROGRESS,
  STAGED_END,
} StagedKind;

#define N_STAGED_FIELDS  11
#define N_STAGED_NUMBERS 6

/* One thing handed over, its strings in the same allocation. */
typedef struct {
  StagedKind  kind;
  gint64      id;        /* the event's seq; the decision's id for its text, facts */
  double      fraction;
  gint64      number[N_STAGED_NUMBERS];
  const char *field[N_STAGED_FIELDS];
} Staged;

/* Handed over in chunks, to take the lock once per chunk. A batch of
 * BATCH_SIZE decisions makes some 80 chunks, which this side holds until
 * the batch's commit and then writes; the staging side may run a batch
 * and a half ahead meanwhile (some 40 MB), and no further. */
#define STAGED_CHUNK      512
#define STAGED_MAX_CHUNKS 128

typedef struct _Staging {
  RrLedgerSink  sink;     /* the staging connection's; first, to cast back */
  GMutex        lock;
  GCond         cond;
  GQueue        chunks;   /* GPtrArray of Staged, oldest first */
  GPtrArray    *filling;  /* staging side: the chunk being filled */
  gint          stop;     /* this side failed: the staging side stops */
  GError       *error;    /* the staging side's failure */
  RrProgressFunc progress;
  gpointer      progress_data;
  Tally        *tally;
  GCancellable *cancellable;
  guint         n_decisions;
  gboolean      ok;
} Staging;

static Staged *
staged_new (StagedKind          kind,
            gint64              id,
            const char * const *fields,
            guint               n_fields)
{
  gsize size = sizeof (Staged);
  Staged *item;
  char *p;

  g_assert (n_fields <= N_STAGED_FIELDS);
  for (guint i = 0; i < n_fields; i++)
    if (fields[i] != NULL)
      size += strlen (fields[i]) + 1;
  item = g_malloc0 (size);
  item->kind = kind;
  item->id = id;
  p = (char *) (item + 1);
  for (guint i = 0; i < n_fields; i++)
    if (fields[i] != NULL)
      {
        gsize len = strlen (fields[i]) + 1;

        memcpy (p, fields[i], len);
        item->field[i] = p;
        p += len;
      }
  return item;
}

/* Staging side: queues @item; the chunk goes over when full or @flush. */
static void
staging_push (Staging *st,
              Staged  *item,
              gboolean flush)
{
  g_ptr_array_add (st->filling, item);
  if (!flush && st->filling->len < STAGED_CHUNK)
    return;
  g_mutex_lock (&st->lock);
  while (g_queue_get_length (&st->chunks) >= STAGED_MAX_CHUNKS)
    g_cond_wait (&st->cond, &st->lock);
  g_queue_push_tail (&st->chunks, st->filling);
  g_cond_broadcast (&st->cond);
  g_mutex_unlock (&st->lock);
  st->filling = g_ptr_array_new_full (STAGED_CHUNK, g_free);
}

static gboolean
staging_append (RrLedgerSink      *sink,
                const RrEventRow  *row,
                GError           **error)
{
  Staging *st = (Staging *) sink;
  const char *fields[] = {
    row->uuid, row->at, row->actor, row->action, row->entity_type, row->entity_uuid,
    row->content_hash, row->canonical,
  };

  /* The other side could not write: no use making more. */
  if (g_atomic_int_get (&st->stop))
    {
      g_set_error (error, RR_STORE_ERROR, RR_STORE_ERROR_FAILED,
                   _("The demo data could not be written to the database."));
      return FALSE;
    }
  staging_push (st, staged_new (STAGED_EVENT, row->seq, fields, G_N_ELEMENTS (fields)), FALSE);
  return TRUE;
}

static void
staging_commit (RrLedgerSink *sink)
{
  staging_push ((Staging *) sink, staged_new (STAGED_COMMIT, 0, NULL, 0), TRUE);
}

static void
staging_rollback (RrLedgerSink *sink)
{
  staging_push ((Staging *) sink, staged_new (STAGED_ROLLBACK, 0, NULL, 0), TRUE);
}

/* A decision's text for the full-text index, which lives in the database
 * itself (only its rowid ties it to the decision, copied later). */
static void
stage_text (Demo                  *demo,
            gint64                 id,
            const RrDecisionInput *in)
{
  const char *fields[3] = { in->summary, in->circumstances, in->explanation };

  if (demo->staging == NULL)
    return;
  /* As the decision's row has them (_rr_decision_insert ()). */
  for (guint i = 1; i < G_N_ELEMENTS (fields); i++)
    if (_rr_text_is_blank (fields[i]))
      fields[i] = NULL;
  staging_push (demo->staging, staged_new (STAGED_TEXT, id, fields, G_N_ELEMENTS (fields)), FALSE);
}

/* The report summary's monthly counts (level 0 of report_*_counts), kept
 * as the facts are written: the same grouping as REPORT_*_MONTHS_V3 in
 * rr-schema.c, without sorting a million facts three times at the end. The
 * test of the summary after a demo compares them with a rebuild from
 * scratch. Each group is its columns joined by a separator, in the order
 * of the table's key after level. */
#define TALLY_SEP "\x1f"

typedef struct {
  const char *table;
  const char *columns;  /* the key after level, then the counts */
  const char *types;    /* per key column: 'T' text, 'I' integer */
  gboolean    days;
} TallyTable;

static const TallyTable tally_tables[] = {
  { "report_rule_counts", "period, team, rule_id, kind, outcome, reason, effect, n",
    "TTITTTT", FALSE },
  { "report_state_counts", "period, team, outcome, effect, dated, sanction, contact,"
    " within_mandate, mandate_kind, approval, verdict, advised, n, days_ms",
    "TTTTITIITITI", TRUE },
  { "report_author_counts", "period, author_id, team, outcome, open, n", "TITTI", FALSE },
};

struct _Tally {
  GHashTable *groups[G_N_ELEMENTS (tally_tables)];  /* key → gint64[2]: n, days_ms */
  GString    *key;
};

static Tally *
tally_new (void)
{
  Tally *tally = g_new0 (Tally, 1);

  for (guint t = 0; t < G_N_ELEMENTS (tally_tables); t++)
    tally->groups[t] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tally->key = g_string_sized_new (256);
  return tally;
}

static void
tally_free (Tally *tally)
{
  for (guint t = 0; t < G_N_ELEMENTS (tally_tables); t++)
    g_hash_table_unref (tally->groups[t]);
  g_string_free (tally->key, TRUE);
  g_free (tally);
}

static void
tally_add (Tally  *tally,
           guint   t,
           gint64  days_ms)
{
  gint64 *counts = g_hash_table_lookup (tally->groups[t], tally->key->str);

  if (counts == NULL)
    {
      counts = g_new0 (gint64, 2);
      g_hash_table_insert (tally->groups[t], g_strdup (tally->key->str), counts);
    }
  counts[0]++;
  counts[1] += days_ms;
}

/* The fields of insert_facts (): f[0] team, f[1] decision_date, f[2]
 * follow_up, f[3] kind, f[4] outcome, f[5] reason, f[6] sanction, f[7]
 * effect, f[8] verdict; n[0] author_id, n[1] rule_id, n[2] contact, n[3]
 * within_mandate, n[4] approval, n[5] advised. */
static void
tally_facts (Tally        *tally,
             const Staged *facts,
             gint64        days_ms)
{
  const char * const *f = facts->field;
  const gint64 *n = facts->number;
  gboolean deviated = g_str_equal (f[4], "deviated");
  GString *key = tally->key;
  char period[8];

  g_strlcpy (period, f[1], sizeof period);

  g_string_printf (key, "%s" TALLY_SEP "%s" TALLY_SEP "%" G_GINT64_FORMAT TALLY_SEP "%s"
                   TALLY_SEP "%s" TALLY_SEP "%s" TALLY_SEP "%s",
                   period, f[0], n[1], f[3], f[4], f[5], deviated ? f[7] : "");
  tally_add (tally, 0, 0);

  g_string_printf (key, "%s" TALLY_SEP "%s" TALLY_SEP "%s" TALLY_SEP "%s" TALLY_SEP "%d"
                   TALLY_SEP "%s" TALLY_SEP "%" G_GINT64_FORMAT TALLY_SEP "%" G_GINT64_FORMAT
                   TALLY_SEP "%s" TALLY_SEP "%" G_GINT64_FORMAT TALLY_SEP "%s"
                   TALLY_SEP "%" G_GINT64_FORMAT,
                   period, f[0], f[4], f[7], f[2] != NULL, f[6],
                   g_str_equal (f[6], "none") ? 0 : n[2], n[3], n[3] == 0 ? f[3] : "",
                   deviated ? n[4] : 0, deviated || n[3] == 0 ? f[8] : "", deviated ? n[5] : 0);
  tally_add (tally, 1, deviated ? days_ms : 0);

  g_string_printf (key, "%s" TALLY_SEP "%" G_GINT64_FORMAT TALLY_SEP "%s" TALLY_SEP "%s"
                   TALLY_SEP "%d",
                   period, n[0], f[0], f[4], *f[7] == '\0' && f[2] != NULL);
  tally_add (tally, 2, 0);
}

typedef struct {
  const char   *key;
  const gint64 *counts;
} TallyGroup;

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  return strcmp (((const TallyGroup *) a)->key, ((const TallyGroup *) b)->key);
}

/* The monthly counts into their empty tables, in key order, then the years
 * from them as SQL makes them. */
static gboolean
tally_write (Tally     *tally,
             RrStore   *store,
             GError   **error)
{
  g_autoptr(GString) columns = g_string_new (NULL);

  for (guint t = 0; t < G_N_ELEMENTS (tally_tables); t++)
    {
      const TallyTable *table = &tally_tables[t];
      guint n_keys = (guint) strlen (table->types);
      g_autoptr(GArray) groups = g_array_sized_new (FALSE, FALSE, sizeof (TallyGroup),
                                                    g_hash_table_size (tally->groups[t]));
      g_autoptr(GString) sql = g_string_new (NULL);
      GHashTableIter iter;
      gpointer key, counts;
      sqlite3_stmt *stmt;

      g_hash_table_iter_init (&iter, tally->groups[t]);
      while (g_hash_table_iter_next (&iter, &key, &counts))
        {
          TallyGroup group = { key, counts };

          g_array_append_val (groups, group);
        }
      g_array_sort (groups, compare_groups);

      g_string_printf (sql, "DELETE FROM %s", table->table);
      if (!_rr_store_exec (store, sql->str, error))
        return FALSE;
      g_string_printf (sql, "INSERT INTO %s (level, %s) VALUES (0", table->table, table->columns);
      for (guint i = 0; i < n_keys + 1 + (table->days ? 1 : 0); i++)
        g_string_append (sql, ", ?");
      g_string_append (sql, ")");
      if (sqlite3_prepare_v2 (_rr_store_get_db (store), sql->str, -1, &stmt, NULL) != SQLITE_OK)
        {
          _rr_store_set_error (store, sqlite3_errcode (_rr_store_get_db (store)), error);
          return FALSE;
        }
      for (guint k = 0; k < groups->len; k++)
        {
          const TallyGroup *group = &g_array_index (groups, TallyGroup, k);
          char *column;

          /* The key's columns, split in a copy of it and bound as they
           * are there: the copy stays until the next row. */
          g_string_assign (columns, group->key);
          column = columns->str;
          for (guint i = 0; i < n_keys; i++)
            {
              char *end = strstr (column, TALLY_SEP);

              g_assert ((end == NULL) == (i + 1 == n_keys));
              if (end != NULL)
                *end = '\0';
              if (table->types[i] == 'I')
                sqlite3_bind_int64 (stmt, (int) i + 1, g_ascii_strtoll (column, NULL, 10));
              else
                _rr_bind_text_static (stmt, (int) i + 1, column);
              if (end != NULL)
                column = end + strlen (TALLY_SEP);
            }
          sqlite3_bind_int64 (stmt, (int) n_keys + 1, group->counts[0]);
          if (table->days)
            sqlite3_bind_int64 (stmt, (int) n_keys + 2, group->counts[1]);
          if (!_rr_step_done (store, stmt, error))
            {
              sqlite3_finalize (stmt);
              return FALSE;
            }
        }
      sqlite3_finalize (stmt);
    }
  return _rr_store_exec (store, rr_schema_report_years, error);
}

/* What the report summary knows of a current decision (report_facts),
 * written as the decision is made instead of worked out again from every
 * decision, review and outcome at the end: the same values that
 * REPORT_FACTS_SELECT in rr-schema.c takes from them, the review days
 * computed by SQLite as there. The test of the summary after a demo
 * compares them with a rebuild from scratch. Staged, the facts go
 * straight into the database, by the other thread. */
static gboolean
write_facts (RrStore       *store,
             const Staged  *facts,
             Tally         *tally,
             GError       **error)
{
  const char * const *f = facts->field;
  const gint64 *n = facts->number;
  sqlite3_stmt *stmt = _rr_store_prepare (store,
                                          "INSERT INTO report_facts (decision_id, team, author_id,"
                                          " decision_date, follow_up, rule_id, kind, outcome,"
                                          " reason, sanction, contact, within_mandate, approval,"
                                          " effect, verdict, days_ms, advised)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                                          " ?12, ?13, ?14, ?15, coalesce (CAST (round ((julianday"
                                          " (?16) - julianday (?17)) * 86400000) AS INTEGER), 0),"
                                          " ?18) RETURNING days_ms", error);
  gint64 days_ms;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, facts->id);
  _rr_bind_text (stmt, 2, f[0]);
  sqlite3_bind_int64 (stmt, 3, n[0]);
  _rr_bind_text (stmt, 4, f[1]);
  _rr_bind_text (stmt, 5, f[2]);
  sqlite3_bind_int64 (stmt, 6, n[1]);
  _rr_bind_text (stmt, 7, f[3]);
  _rr_bind_text (stmt, 8, f[4]);
  _rr_bind_text (stmt, 9, f[5]);
  _rr_bind_text (stmt, 10, f[6]);
  sqlite3_bind_int64 (stmt, 11, n[2]);
  sqlite3_bind_int64 (stmt, 12, n[3]);
  sqlite3_bind_int64 (stmt, 13, n[4]);
  _rr_bind_text (stmt, 14, f[7]);
  _rr_bind_text (stmt, 15, f[8]);
  _rr_bind_text (stmt, 16, f[9]);
  _rr_bind_text (stmt, 17, f[10]);
  sqlite3_bind_int64 (stmt, 18, n[5]);
  if (_rr_step (store, stmt, error) != SQLITE_ROW)
    return FALSE;
  days_ms = sqlite3_column_int64 (stmt, 0);
  if (!_rr_step_done (store, stmt, error))
    return FALSE;
  tally_facts (tally, facts, days_ms);
  return TRUE;
}

static gboolean
insert_facts (Demo                   *demo,
              gint64                  id,
              const RrDecisionValues *v,
              RrEffect                effect,
              RrVerdict               verdict,
              const char             *verdict_at,
              gboolean                advised,
              GError                **error)
{
  const RrDecisionInput *in = v->input;
  const char *fields[N_STAGED_FIELDS] = {
    v->team, in->decision_date, in->follow_up, in->kind, rr_outcome_to_string (in->outcome),
    _rr_text_is_blank (in->reason) ? "" : in->reason, rr_sanction_to_string (in->sanction),
    effect != RR_EFFECT_NONE ? rr_effect_to_string (effect) : "",
    verdict != RR_VERDICT_NONE ? rr_verdict_to_string (verdict) : "",
    verdict_at, v->recorded_at,
  };
  Staged *facts = staged_new (STAGED_FACTS, id, fields, N_STAGED_FIELDS);
  gboolean ok = TRUE;

  facts->number[0] = v->author_id;
  facts->number[1] = v->rule_id;
  facts->number[2] = !_rr_text_is_blank (in->contact_date)
                     && strcmp (in->contact_date, in->decision_date) <= 0;
  facts->number[3] = v->within_mandate ? 1 : 0;
  facts->number[4] = v->needs_review == RR_REVIEW_STATE_APPROVAL_NEEDED;
  facts->number[5] = advised ? 1 : 0;
  if (demo->staging != NULL)
    staging_push (demo->staging, facts, FALSE);
  else
    {
      ok = write_facts (demo->store, facts, demo->tally, error);
      g_free (facts);
    }
  return ok;
}

/* One decision with everything that follows from it: advice, the
 * teamleider's verdict, a second version, the outcome. */
static gboolean
generate_one (Demo     *demo,
              guint32   day,
              GError  **error)
{
  RrDecisionValues v = { 0 };
  RrDecisionValues v2 = { 0 };
  const RrDecisionValues *final;
  const DemoClient *client = NULL;
  const DemoUser *author;
  const DemoTeam *team;
  gint64 id, final_id;
  guint32 review_day, follow_up;
  gboolean ok = FALSE;
  gboolean withdrawn = FALSE;
  gboolean advised = FALSE;
  RrVerdict final_verdict = RR_VERDICT_NONE;
  g_autofree char *final_verdict_at = NULL;
  RrEffect effect = RR_EFFECT_NONE;
  int author_index = -1;

  if (!build_decision (demo, day, &v, &client, &author_index, error))
    goto out;
  v.defer_fts = TRUE;
  id = _rr_decision_insert (demo->store, &v, error);
  if (id == 0)
    goto out;
  stage_text (demo, id, v.input);
  final = &v;
  final_id = id;
  author = &g_array_index (demo->users, DemoUser, author_index);
  team = &g_array_index (demo->teams, DemoTeam, author->team);
  review_day = day + range (demo, 0, 9);

  /* Ruggespraak from a colleague in the team, never the author. */
  if (v.input->outcome == RR_OUTCOME_DEVIATED && team->members->len > 1
      && review_day <= demo->today && chance (demo, 0.12))
    {
      int colleague = g_array_index (team->members, int,
                                     g_rand_int_range (demo->rand, 0, team->members->len));
      if (colleague != author_index)
        {
          const DemoUser *c = &g_array_index (demo->users, DemoUser, colleague);
          g_autofree char *at = timestamp_on (demo, day + range (demo, 0, 3));

          if (!_rr_review_insert (demo->store, id, v.uuid, v.number, v.version, c->id,
                                       c->login, RR_VERDICT_NONE, PICK (demo, advice_texts), at,
                                       error))
            goto out;
          advised = TRUE;
        }
    }

  /* The teamleider's verdict, once there has been time for it. */
  if (v.needs_review != RR_REVIEW_STATE_NOT_NEEDED && team->leader >= 0
      && team->leader != author_index && review_day + 5 <= demo->today
      && chance (demo, v.needs_review == RR_REVIEW_STATE_APPROVAL_NEEDED ? 0.95 : 0.85))
    {
      const DemoUser *leader = &g_array_index (demo->users, DemoUser, team->leader);
      RrVerdict verdict = pick_verdict (demo);
      g_autofree char *at = timestamp_on (demo, review_day);

      if (!_rr_review_insert (demo->store, id, v.uuid, v.number, v.version, leader->id,
                                   leader->login, verdict, verdict_comment (demo, verdict), at,
                                   error))
        goto out;
      final_verdict = verdict;
      final_verdict_at = g_strdup (at);

      if ((verdict == RR_VERDICT_VRAGEN && chance (demo, 0.85))
          || (verdict == RR_VERDICT_NIET_AKKOORD && chance (demo, 0.4)))
        {
          guint32 answer_day = review_day + range (demo, 1, 5);

          build_next_version (demo, &v, id, verdict == RR_VERDICT_NIET_AKKOORD, answer_day, &v2);
          v2.defer_fts = TRUE;
          final_id = _rr_decision_insert (demo->store, &v2, error);
          if (final_id == 0)
            goto out;
          stage_text (demo, final_id, v2.input);
          final = &v2;
          /* The new version has its own reviews, none yet. */
          advised = FALSE;
          final_verdict = RR_VERDICT_NONE;
          g_clear_pointer (&final_verdict_at, g_free);
          if (v2.needs_review != RR_REVIEW_STATE_NOT_NEEDED && chance (demo, 0.8))
            {
              g_autofree char *at2 = timestamp_on (demo, answer_day + range (demo, 1, 4));
              RrVerdict verdict2 = chance (demo, 0.9) ? RR_VERDICT_AKKOORD
                                                      : RR_VERDICT_AKKOORD_MET_AANVULLING;
              if (!_rr_review_insert (demo->store, final_id, v2.uuid, v2.number,
                                           v2.version, leader->id, leader->login, verdict2,
                                           verdict_comment (demo, verdict2), at2, error))
                goto out;
              final_verdict = verdict2;
              final_verdict_at = g_strdup (at2);
            }
        }
      else if (verdict == RR_VERDICT_NIET_AKKOORD && chance (demo, 0.25))
        {
          add_withdrawal (demo, v.number, author->login, withdraw_reasons[2]);
          withdrawn = TRUE;
        }
    }

  if (!withdrawn && chance (demo, 0.001))
    {
      add_withdrawal (demo, v.number, author->login, withdraw_reasons[range (demo, 0, 1)]);
      withdrawn = TRUE;
    }

  /* The outcome at the follow-up, for most decisions whose moment has come. */
  follow_up = julian_of (final->input->follow_up);
  if (!withdrawn && follow_up <= demo->today && chance (demo, 0.6))
    {
      g_autofree char *at = timestamp_on (demo, follow_up + range (demo, 0, 20));
      g_autofree char *note = NULL;

      effect = pick_effect (demo, final->input->outcome);

      if (chance (demo, 0.85))
        note = expand_new (demo, pick_string (demo, outcome_notes[effect]),
                           year_of (demo, follow_up));
      if (!_rr_outcome_insert (demo->store, final_id, final->uuid, final->number,
                                    author->id, author->login, effect, note, at, error))
        goto out;
    }

  /* A withdrawn decision has no facts: it is withdrawn after its batch. */
  if (!withdrawn && !insert_facts (demo, final_id, final, effect, final_verdict,
                                   final_verdict_at, advised, error))
    goto out;

  if (final->input->outcome == RR_OUTCOME_DEVIATED && !withdrawn)
    keep_sample (demo, final, author_index);
  ok = TRUE;

out:
  _rr_decision_values_clear (&v);
  _rr_decision_values_clear (&v2);
  return ok;
}

static gboolean
apply_withdrawals (Demo     *demo,
                   GError  **error)
{
  for (guint i = 0; i < demo->withdrawals->len; i++)
    {
      Withdrawal *w = &g_array_index (demo->withdrawals, Withdrawal, i);

      if (!rr_decisions_withdraw (demo->store, w->actor, w->number, w->reason, error))
        return FALSE;
    }
  g_array_set_size (demo->withdrawals, 0);
  return TRUE;
}

/* Decision days over the last ten years, workdays only, sorted, with use of
 * the program growing over the years (density rising from 0.6 to 1.4). */
static guint32
decision_day (Demo  *demo,
              guint  i,
              guint  n)
{
  double p = (i + 0.5) / n;
  double t = (-0.6 + sqrt (0.36 + 1.6 * p)) / 0.8;
  guint index = (guint) (t * demo->workdays->len);

  return g_array_index (demo->workdays, guint32, MIN (index, demo->workdays->len - 1));
}

/* The id the next decision row will get, so that the batch can be indexed
 * for full-text search in one statement before it commits. */
static gint64
next_decision_id (Demo *demo)
{
  sqlite3_stmt *stmt = _rr_store_prepare (demo->store, "SELECT coalesce (max (id), 0) + 1"
                                          " FROM decisions", NULL);
  gint64 id = 1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return id;
}

static gboolean
generate_decisions (Demo            *demo,
                    guint            n_decisions,
                    RrProgressFunc   progress,
                    gpointer         user_data,
                    GCancellable    *cancellable,
                    GError         **error)
{
  for (guint start = 0; start < n_decisions; start += BATCH_SIZE)
    {
      guint end = MIN (n_decisions, start + BATCH_SIZE);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      gint64 first_id;

      if (!_rr_store_begin (demo->store, error))
        return FALSE;
      first_id = demo->staging == NULL ? next_decision_id (demo) : 0;
      for (guint i = start; i < end; i++)
        if (!generate_one (demo, decision_day (demo, i, n_decisions), error))
          {
            _rr_store_rollback (demo->store);
            return FALSE;
          }
      /* Staged, the texts went over one by one (stage_text ()). */
      if (!save_counters (demo, error)
          || (demo->staging == NULL
              && !_rr_decisions_index_from (demo->store, first_id, error)))
        {
          _rr_store_rollback (demo->store);
          return FALSE;
        }
      if (!_rr_store_commit (demo->store, error) || !apply_withdrawals (demo, error))
        return FALSE;
      if (demo->staging != NULL)
        {
          Staged *item = staged_new (STAGED_PROGRESS, 0, NULL, 0);

          item->fraction = 0.05 + 0.9 * end / n_decisions;
          staging_push (demo->staging, item, FALSE);
        }
      else if (progress != NULL)
        progress (0.05 + 0.9 * end / n_decisions, user_data);
    }
  return TRUE;
}

/* The generator makes every row from valid values and references only rows
 * it has just written, so while it loads, SQLite need not check each row's
 * foreign keys and CHECK constraints again (for a list of three or more
 * values SQLite builds a small table per statement). The tests run
 * `PRAGMA integrity_check`, which checks the CHECK constraints, and
 * `PRAGMA foreign_key_check` over what the generator made. The triggers
 * that keep recorded rows and events immutable stay in force. */
#define BULK_CONSTRAINTS_OFF "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;"
#define BULK_CONSTRAINTS_ON "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF;"

static gpointer
staging_thread (gpointer data)
{
  Demo *demo = data;
  Staging *st = demo->staging;
  GError *error = NULL;

  st->ok = generate_decisions (demo, st->n_decisions, NULL, NULL, st->cancellable, &error);
  st->error = error;
  /* The lock taken to hand this over publishes the two above. */
  staging_push (st, staged_new (STAGED_END, 0, NULL, 0), TRUE);
  return NULL;
}

/* The texts go in after the rest of a batch. Each statement that may fail
 * halfway (an insert into a table with a trigger that can abort, like the
 * events') makes SQLite ask the virtual tables written in the transaction
 * for a savepoint, and FTS5 then writes what it holds as a segment of its
 * own: texts mixed with events would make a segment per decision, where
 * this makes one per batch, as when unstaged; the events go in
 * RR_LEDGER_INSERT_MAX to a statement for the same reason. */
/* Events chained and written RR_LEDGER_INSERT_MAX at a time. */
typedef struct {
  RrEventRow        rows[RR_LEDGER_INSERT_MAX];
  const RrEventRow *pointers[RR_LEDGER_INSERT_MAX];
  char              prev[RR_LEDGER_INSERT_MAX][RR_HASH_HEX_LEN + 1];
  char              hash[RR_LEDGER_INSERT_MAX][RR_HASH_HEX_LEN + 1];
  guint             n;
  char              head[RR_HASH_HEX_LEN + 1];  /* the chain's head as written */
} EventBatch;

static gboolean
flush_events (RrStore     *store,
              EventBatch  *batch,
              GError     **error)
{
  guint n = batch->n;

  batch->n = 0;
  return _rr_ledger_insert_many (store, batch->pointers, n, error);
}

static gboolean
add_event (RrStore       *store,
           EventBatch    *batch,
           const Staged  *item,
           GError       **error)
{
  const char * const *f = item->field;
  guint n = batch->n++;

  batch->rows[n] = (RrEventRow) {
    .seq = item->id, .uuid = f[0], .at = f[1], .actor = f[2], .action = f[3],
    .entity_type = f[4], .entity_uuid = f[5], .content_hash = f[6], .canonical = f[7],
  };
  memcpy (batch->prev[n], batch->head, sizeof batch->head);
  _rr_ledger_chain (&batch->rows[n], batch->prev[n], batch->hash[n]);
  memcpy (batch->head, batch->hash[n], sizeof batch->head);
  return batch->n < RR_LEDGER_INSERT_MAX || flush_events (store, batch, error);
}

/* What the staging side committed: its events, facts and texts, in that
 * order (the texts last, see above). */
static gboolean
write_committed (RrStore     *store,
                 GPtrArray   *pending,
                 EventBatch  *events,
                 Tally       *tally,
                 GError     **error)
{
  for (guint i = 0; i < pending->len; i++)
    {
      const Staged *item = g_ptr_array_index (pending, i);

      if ((item->kind == STAGED_EVENT && !add_event (store, events, item, error))
          || (item->kind == STAGED_FACTS && !write_facts (store, item, tally, error)))
        return FALSE;
    }
  if (!flush_events (store, events, error))
    return FALSE;
  for (guint i = 0; i < pending->len; i++)
    {
      const Staged *item = g_ptr_array_index (pending, i);
      sqlite3_stmt *stmt;

      if (item->kind != STAGED_TEXT)
        continue;
      stmt = _rr_store_prepare (store,
                                "INSERT INTO decisions_fts (rowid, summary,"
                                " circumstances, explanation) VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, item->id);
      _rr_bind_text (stmt, 2, item->field[0]);
      _rr_bind_text (stmt, 3, item->field[1]);
      _rr_bind_text (stmt, 4, item->field[2]);
      if (!_rr_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* This side: writes what the staging side hands over, until its end, all
 * in the one transaction open on @store. What comes between two of the
 * staging side's commits waits here (a batch: some 20 MB) and is written
 * when the second one comes, or dropped when a rollback comes instead, so
 * the transaction holds exactly what the staging side committed. The
 * first failure here stops the staging side; what comes after it is taken
 * off the queue and dropped. */
static gboolean
staging_drain (Staging     *st,
               RrStore     *store,
               const char  *head,
               GError     **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  g_autofree EventBatch *events = g_new0 (EventBatch, 1);
  GError *failure = NULL;
  gboolean ended = FALSE;

  for (guint i = 0; i < RR_LEDGER_INSERT_MAX; i++)
    events->pointers[i] = &events->rows[i];
  g_strlcpy (events->head, head, sizeof events->head);

  while (!ended)
    {
      g_autoptr(GPtrArray) chunk = NULL;

      g_mutex_lock (&st->lock);
      while (g_queue_is_empty (&st->chunks))
        g_cond_wait (&st->cond, &st->lock);
      chunk = g_queue_pop_head (&st->chunks);
      g_cond_broadcast (&st->cond);
      g_mutex_unlock (&st->lock);

      for (guint i = 0; i < chunk->len; i++)
        {
          Staged *item = g_ptr_array_index (chunk, i);

          if (item->kind == STAGED_END)
            ended = TRUE;
          if (failure != NULL)
            continue;
          switch (item->kind)
            {
            case STAGED_EVENT:
            case STAGED_FACTS:
            case STAGED_TEXT:
              /* Kept until the commit; the chunk no longer frees it. */
              g_ptr_array_add (pending, item);
              chunk->pdata[i] = NULL;
              break;
            case STAGED_COMMIT:
              write_committed (store, pending, events, st->tally, &failure);
              g_ptr_array_set_size (pending, 0);
              break;
            case STAGED_ROLLBACK:
              g_ptr_array_set_size (pending, 0);
              break;
            case STAGED_PROGRESS:
              if (st->progress != NULL)
                st->progress (item->fraction, st->progress_data);
              break;
            case STAGED_END:
              break;
            }
          if (failure != NULL)
            g_atomic_int_set (&st->stop, TRUE);
        }
    }
  if (failure != NULL)
    {
      g_propagate_error (error, failure);
      return FALSE;
    }
  return TRUE;
}

/* The tables the staging side writes; empty in the database before (the
 * generator wants one without decisions, and all of these hang off one). */
static const char * const staged_tables[] = {
  "decisions", "reviews", "outcomes", "withdrawals", "advice_requests",
};

/* Inside the open transaction: the staged rows into the database's own
 * tables. A table with triggers is not copied record by record, so each
 * table's (those that keep rows immutable) are dropped and created again
 * from their own statements around the copy, in the same transaction. */
static gboolean
merge_staged (RrStore  *store,
              GError  **error)
{
  for (guint t = 0; t < G_N_ELEMENTS (staged_tables); t++)
    {
      const char *table = staged_tables[t];
      g_autoptr(GPtrArray) create = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) sql = g_string_new (NULL);
      sqlite3_stmt *stmt;
      int rc;

      stmt = _rr_store_prepare (store,
                                "SELECT name, sql FROM main.sqlite_schema"
                                " WHERE type = 'trigger' AND tbl_name = ?1 AND sql IS NOT NULL"
                                " ORDER BY name", error);
      if (stmt == NULL)
        return FALSE;
      _rr_bind_text (stmt, 1, table);
      while ((rc = _rr_step (store, stmt, error)) == SQLITE_ROW)
        {
          const char *name = (const char *) sqlite3_column_text (stmt, 0);
          const char *trigger = (const char *) sqlite3_column_text (stmt, 1);

          if (name == NULL || trigger == NULL)
            {
              sqlite3_reset (stmt);
              _rr_store_set_error (store, SQLITE_NOMEM, error);
              return FALSE;
            }
          g_string_append_printf (sql, "DROP TRIGGER main.\"%s\";", name);
          g_ptr_array_add (create, g_strdup (trigger));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;
      g_string_append_printf (sql, "INSERT INTO main.\"%s\" SELECT * FROM staging.\"%s\";",
                              table, table);
      for (guint i = 0; i < create->len; i++)
        g_string_append_printf (sql, "%s;", (const char *) g_ptr_array_index (create, i));
      if (!_rr_store_exec (store, sql->str, error))
        return FALSE;
    }
  return _rr_store_exec (store,
                         "DELETE FROM main.counters;"
                         "INSERT INTO main.counters SELECT * FROM staging.counters;", error);
}

static void
remove_staging_file (const char *path)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

/* The decisions on two threads, as above; one thread for a database with
 * no file of its own. */
static gboolean
generate_staged (Demo            *demo,
                 guint            n_decisions,
                 RrProgressFunc   progress,
                 gpointer         user_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  RrStore *store = demo->store;
  const char *path = rr_store_get_path (store);
  g_autofree char *staging_path = NULL;
  g_autoptr(RrStore) staged = NULL;
  g_autoptr(RrCheckpoint) head = NULL;
  g_autoptr(GError) drain_error = NULL;
  Staging st = { 0 };
  GThread *thread;
  char *sql;
  gboolean ok;
  int fd;

  if (path == NULL || _rr_store_path_in_memory (path))
    return generate_decisions (demo, n_decisions, progress, user_data, cancellable, error);

  staging_path = g_strconcat (path, ".staging-XXXXXX", NULL);
  fd = g_mkstemp_full (staging_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make a working file beside the database: %s"),
                   g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  /* The copy has the users, clients, rules and settings the generator
   * looks things up in, and the tables as the database has them now. */
  sql = sqlite3_mprintf ("VACUUM INTO %Q;", staging_path);
  ok = sql != NULL && _rr_store_exec (store, sql, error);
  sqlite3_free (sql);
  if (ok)
    ok = (staged = rr_store_open (staging_path, RR_STORE_OPEN_BULK, error)) != NULL
         && _rr_store_exec (staged, "PRAGMA journal_mode = TRUNCATE;" BULK_CONSTRAINTS_OFF, error)
         && (head = rr_ledger_checkpoint (store, error)) != NULL;
  if (ok)
    {
      sql = sqlite3_mprintf ("ATTACH %Q AS staging;", staging_path);
      ok = sql != NULL && _rr_store_exec (store, sql, error);
      sqlite3_free (sql);
    }
  /* A deferred transaction: BEGIN IMMEDIATE would lock the attached
   * staging file too, which the other connection is about to write. */
  if (ok && !_rr_store_exec (store, "BEGIN;", error))
    {
      _rr_store_exec (store, "DETACH staging;", NULL);
      ok = FALSE;
    }
  if (!ok)
    {
      g_clear_object (&staged);
      remove_staging_file (staging_path);
      return FALSE;
    }

  _rr_store_set_bulk_loading (staged, TRUE);
  g_mutex_init (&st.lock);
  g_cond_init (&st.cond);
  g_queue_init (&st.chunks);
  st.filling = g_ptr_array_new_full (STAGED_CHUNK, g_free);
  st.sink.append = staging_append;
  st.sink.commit = staging_commit;
  st.sink.rollback = staging_rollback;
  st.sink.head_seq = head->seq;
  st.progress = progress;
  st.progress_data = user_data;
  st.tally = demo->tally;
  st.cancellable = cancellable;
  st.n_decisions = n_decisions;
  _rr_store_set_ledger_sink (staged, &st.sink);
  demo->store = staged;
  demo->staging = &st;

  thread = g_thread_new ("rr-demo-staging", staging_thread, demo);
  ok = staging_drain (&st, store, head->hash, &drain_error);
  g_thread_join (thread);

  demo->store = store;
  demo->staging = NULL;
  _rr_store_set_ledger_sink (staged, NULL);
  g_clear_object (&staged);

  /* Whatever the staging side committed goes in with its events; after a
   * failure on this side, nothing does. */
  if (ok)
    ok = merge_staged (store, &drain_error)
         && _rr_store_exec (store, "COMMIT;", &drain_error);
  if (!ok && _rr_store_in_transaction (store))
    _rr_store_exec (store, "ROLLBACK;", NULL);
  _rr_store_exec (store, "DETACH staging;", NULL);
  remove_staging_file (staging_path);

  g_mutex_clear (&st.lock);
  g_cond_clear (&st.cond);
  g_ptr_array_unref (st.filling);
  g_assert (g_queue_is_empty (&st.chunks));

  if (!ok)
    {
      g_clear_error (&st.error);
      g_propagate_error (error, g_steal_pointer (&drain_error));
      return FALSE;
    }
  if (!st.ok)
    {
      g_propagate_error (error, st.error);
      return FALSE;
    }
  return TRUE;
}

/* Bulk loading, as databases do it: the secondary indexes of the tables
 * that take a row per decision are dropped before the decisions go in and
 * built again afterwards by sorting, which at a million rows is several times
 * cheaper than keeping each index in order row by row. The UNIQUE constraints
 * stay, so every insert is still checked, and so do the indexes the generator
 * itself looks things up by (decision number, primary keys). The triggers
 * that do nothing while loading in bulk (those of the report summary, which
 * ask rr_bulk_loading ()) go too and come back with the indexes: SQLite
 * still sets up a trigger's whole program for every row before it asks,
 * about a microsecond each time for those of the summary. Whatever the
 * schema's version, the statements come from the schema itself. */

static gboolean
defer_indexes (Demo     *demo,
               GError  **error)
{
  g_autoptr(GString) drop = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _rr_store_prepare (demo->store,
                            "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL"
                            " AND ((type = 'index'"
                            "   AND tbl_name IN ('decisions', 'reviews', 'outcomes', 'events'))"
                            "  OR (type = 'trigger' AND sql LIKE '%rr_bulk_loading ()%'))"
                            " ORDER BY type, name", error);
  if (stmt == NULL)
    return FALSE;
  demo->deferred_indexes = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *sql = (const char *) sqlite3_column_text (stmt, 2);

      if (type == NULL || name == NULL || sql == NULL)
        {
          rc = SQLITE_NOMEM;
          break;
        }
      g_ptr_array_add (demo->deferred_indexes, g_strdup (sql));
      g_string_append_printf (drop, "DROP %s \"%s\";",
                              g_str_equal (type, "index") ? "INDEX" : "TRIGGER", name);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (&demo->deferred_indexes, g_ptr_array_unref);
      _rr_store_set_error (demo->store, rc, error);
      return FALSE;
    }

  /* A rollback journal writes a new page once, where the write-ahead log
   * writes it to the log and again at the checkpoint. Safe against a crash
   * all the same; it needs the file to itself, and when another connection
   * has it open the log simply stays. Opening the store sets WAL again.
   * From here on restore_indexes () undoes all of this, also on failure. */
  if (!_rr_store_exec (demo->store, "PRAGMA journal_mode = TRUNCATE;"
                       BULK_CONSTRAINTS_OFF, error)
      || !_rr_store_begin (demo->store, error))
    return FALSE;
  if (!_rr_store_exec (demo->store, drop->str, error)
      || !_rr_store_commit (demo->store, error))
    {
      _rr_store_rollback (demo->store);
      return FALSE;
    }
  return TRUE;
}

/* An integer setting of the connection, to put back afterwards. */
static gboolean
get_pragma (Demo        *demo,
            const char  *sql,
            gint64      *value,
            GError     **error)
{
  sqlite3_stmt *stmt = _rr_store_prepare (demo->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _rr_store_set_error (demo->store, rc == SQLITE_DONE ? SQLITE_ERROR : rc, error);
      return FALSE;
    }
  return TRUE;
}

/* How CREATE INDEX sorts: SQLite's sorter uses its helper thread only
 * when it writes sorted runs to temporary files and merges them, which it
 * never does with temp_store = MEMORY, and does once per cache_size of
 * keys. With runs of 16 MB written to files (in the system's file cache at
 * these sizes) the second core sorts one run while the first reads the
 * table for the next, and merging short runs costs no more than sorting
 * every key at once in memory (measured with the sqlite3 shell: 12-16 s of
 * CPU time in all for the indexes of a million decisions, against 15-16 s
 * on the one thread). */
#define SORT_SETTINGS "PRAGMA threads = 2; PRAGMA temp_store = FILE; PRAGMA cache_size = -16384;"

/* Turns those settings on; returns the statements that put the
 * connection's own back. */
static char *
sort_on_both_cores (Demo     *demo,
                    GError  **error)
{
  gint64 cache_size = 0, temp_store = 0;

  if (!get_pragma (demo, "PRAGMA cache_size", &cache_size, error)
      || !get_pragma (demo, "PRAGMA temp_store", &temp_store, error)
      || !_rr_store_exec (demo->store, SORT_SETTINGS, error))
    return NULL;
  return g_strdup_printf ("PRAGMA threads = 0; PRAGMA temp_store = %" G_GINT64_FORMAT
                          "; PRAGMA cache_size = %" G_GINT64_FORMAT ";", temp_store, cache_size);
}

/* Builds the dropped indexes and triggers again and checks constraints
 * again, also after a failure, so that what was generated is never left
 * without them. */
static gboolean
restore_indexes (Demo     *demo,
                 GError  **error)
{
  g_autoptr(GPtrArray) indexes = g_steal_pointer (&demo->deferred_indexes);
  g_autofree char *settings_back = NULL;
  gboolean ok;

  if (indexes == NULL)
    return TRUE;
  if (_rr_store_in_transaction (demo->store))
    _rr_store_rollback (demo->store);
  ok = _rr_store_exec (demo->store, BULK_CONSTRAINTS_ON, error)
       && (settings_back = sort_on_both_cores (demo, error)) != NULL
       && _rr_store_begin (demo->store, error);
  for (guint i = 0; ok && i < indexes->len; i++)
    {
      const char *sql = g_ptr_array_index (indexes, i);
      g_autofree char *create = NULL;

      /* After a failed drop some may still be there. */
      if (g_str_has_prefix (sql, "CREATE INDEX "))
        create = g_strconcat ("CREATE INDEX IF NOT EXISTS ", sql + strlen ("CREATE INDEX "), NULL);
      else if (g_str_has_prefix (sql, "CREATE TRIGGER "))
        create = g_strconcat ("CREATE TRIGGER IF NOT EXISTS ", sql + strlen ("CREATE TRIGGER "),
                              NULL);
      ok = _rr_store_exec (demo->store, create != NULL ? create : sql, error);
    }
  ok = ok && _rr_store_commit (demo->store, error);
  if (!ok && _rr_store_in_transaction (demo->store))
    _rr_store_rollback (demo->store);
  if (settings_back != NULL)
    ok = _rr_store_exec (demo->store, settings_back, ok ? error : NULL) && ok;
  return _rr_store_exec (demo->store, "PRAGMA journal_mode = WAL;", ok ? error : NULL) && ok;
}

/* The counts of the report summary from the facts written along the way
 * (insert_facts ()), tallied as they went in. */
static gboolean
count_facts (Demo     *demo,
             GError  **error)
{
  gboolean ok = _rr_store_begin (demo->store, error)
                && tally_write (demo->tally, demo->store, error)
                && _rr_store_commit (demo->store, error);

  if (!ok && _rr_store_in_transaction (demo->store))
    _rr_store_rollback (demo->store);
  return ok;
}

/* The learning layer: reflections (private and shared) and signals to
 * policy, linked to some of the deviations. */
static gboolean
generate_learning (Demo     *demo,
                   guint     n_decisions,
                   GError  **error)
{
  guint n_reflections = CLAMP (n_decisions / 5000, 6, 200);
  guint n_signals = CLAMP (n_decisions / 20000, 3, 50);

  for (guint i = 0; i < n_reflections; i++)
    {
      guint t = g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (reflection_texts));
      const char *number = NULL;
      const DemoUser *author;
      int author_index;

      if (demo->samples->len > 0 && chance (demo, 0.6))
        {
          Sample *s = &g_array_index (demo->samples, Sample,
                                      g_rand_int_range (demo->rand, 0, demo->samples->len));
          number = s->number;
          author_index = s->author;
        }
      else
        author_index = g_array_index (demo->kms, int,
                                      g_rand_int_range (demo->rand, 0, demo->kms->len));
      author = &g_array_index (demo->users, DemoUser, author_index);
      if (rr_reflections_save (demo->store, author->login, 0, reflection_texts[t].kind,
                               chance (demo, 0.4), number, reflection_texts[t].title,
                               reflection_texts[t].body, error) == 0)
        return FALSE;
    }

  for (guint i = 0; i < n_signals && demo->samples->len > 0; i++)
    {
      Sample *s = &g_array_index (demo->samples, Sample,
                                  g_rand_int_range (demo->rand, 0, demo->samples->len));
      const DemoUser *author = &g_array_index (demo->users, DemoUser, s->author);
      guint t = g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (signal_texts));
      g_autoptr(GPtrArray) numbers = g_ptr_array_new ();

      g_ptr_array_add (numbers, s->number);
      for (guint j = 0; j < demo->samples->len && numbers->len < 4; j++)
        {
          Sample *other = &g_array_index (demo->samples, Sample, j);
          if (other != s && g_str_equal (other->rule_code, s->rule_code))
            g_ptr_array_add (numbers, other->number);
        }
      g_ptr_array_add (numbers, NULL);
      if (!rr_signals_add (demo->store, author->login, s->rule_code, signal_texts[t].chafes,
                           signal_texts[t].proposal, (const char * const *) numbers->pdata,
                           error))
        return FALSE;
    }
  return TRUE;
}

/**
 * rr_demo_generate:
 * @store: an initialised database without decisions
 * @n_decisions: how many decisions to generate (versions after questions and
 *   withdrawals come on top of these)
 * @seed: the same seed gives the same content
 * @progress: (nullable): called now and then with the fraction done
 * @cancellable: (nullable): checked between batches
 *
 * Fills @store with teams, users, clients and decisions with their reviews,
 * outcomes, reflections and signals, in large transactions. For a database
 * in a file the decisions are made on a second thread, in a working copy
 * beside the file that is removed afterwards (about as large as the
 * decisions themselves).
 *
 * Returns: %TRUE on success; when making the decisions fails or is
 *   cancelled, the batch at hand is rolled back and the batches before it
 *   stay; when writing the database itself fails, none of the decisions do.
 */
gboolean
rr_demo_generate (RrStore        *store,
                  guint           n_decisions,
                  guint64         seed,
                  RrProgressFunc  progress,
                  gpointer        user_data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  Demo demo = { 0 };
  g_autofree char *today = rr_date_today ();
  guint32 seeds[2] = { (guint32) seed, (guint32) (seed >> 32) };
  gboolean ok = FALSE;

  g_return_val_if_fail (RR_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  demo.store = store;
  _rr_store_set_bulk_loading (store, TRUE);
  demo.rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  demo.users = g_array_new (FALSE, TRUE, sizeof (DemoUser));
  demo.teams = g_array_new (FALSE, TRUE, sizeof (DemoTeam));
  demo.kms = g_array_new (FALSE, FALSE, sizeof (int));
  demo.clients = g_array_new (FALSE, TRUE, sizeof (DemoClient));
  demo.rules = g_array_new (FALSE, TRUE, sizeof (DemoRule));
  demo.workdays = g_array_new (FALSE, FALSE, sizeof (guint32));
  demo.withdrawals = g_array_new (FALSE, TRUE, sizeof (Withdrawal));
  g_array_set_clear_func (demo.withdrawals, withdrawal_clear);
  demo.samples = g_array_new (FALSE, TRUE, sizeof (Sample));
  g_array_set_clear_func (demo.samples, sample_clear);
  demo.date_text = g_ptr_array_new_with_free_func (g_free);
  demo.months_later = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  demo.buf = g_string_sized_new (1024);
  demo.tally = tally_new ();
  demo.today = julian_of (today);
  demo.date_base = demo.today - 366 * (YEARS_OF_HISTORY + 2);
  demo.now = rr_timestamp_now ();
  demo.follow_up_months = rr_store_get_setting_int (store, "follow_up_months", 3);
  demo.retention_years = rr_store_get_setting_int (store, "retention_years", 10);

  for (guint32 day = demo.today - 365 * YEARS_OF_HISTORY - 2; day <= demo.today; day++)
    {
      GDate gdate;

      g_date_clear (&gdate, 1);
      g_date_set_julian (&gdate, day);
      if (g_date_get_weekday (&gdate) <= G_DATE_FRIDAY)
        g_array_append_val (demo.workdays, day);
    }

  if (progress != NULL)
    progress (0.0, user_data);
  if (!find_admin (&demo, error) || !load_rules (&demo, error)
      || !create_users (&demo, n_decisions, error))
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (progress != NULL)
    progress (0.02, user_data);
  if (!create_clients (&demo, n_decisions, progress, user_data, cancellable, error))
    goto out;
  if (progress != NULL)
    progress (0.05, user_data);
  if (!load_counters (&demo, error) || !defer_indexes (&demo, error))
    goto out;
  if (!generate_staged (&demo, n_decisions, progress, user_data, cancellable, error))
    goto out;
  if (!restore_indexes (&demo, error))
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (!generate_learning (&demo, n_decisions, error))
    goto out;
  ok = TRUE;

out:
  if (_rr_store_in_transaction (store))
    _rr_store_rollback (store);
  if (demo.deferred_indexes != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* The failure that brought us here is what the caller hears of. */
      if (!restore_indexes (&demo, &local_error))
        g_warning ("Could not rebuild the indexes after a failed demo: %s",
                   local_error->message);
    }
  /* After a failure the facts of what was committed are worked out again
   * from the decisions; otherwise they are there, and only the counts are
   * made from them. */
  if (ok)
    ok = count_facts (&demo, error);
  else
    _rr_report_summary_rebuild (store, NULL);
  _rr_store_set_bulk_loading (store, FALSE);
  demo_clear (&demo);
  if (ok)
    {
      rr_store_emit_changed (store, RR_CHANGED_USERS);
      rr_store_emit_changed (store, RR_CHANGED_CLIENTS);
      rr_store_emit_changed (store, RR_CHANGED_DECISIONS);
      rr_store_emit_changed (store, RR_CHANGED_LEARNING);
      if (progress != NULL)
        progress (1.0, user_data);
    }
  return ok;
}
