//! Static vocabularies for customer profiles: names, places, industries and value labels.
//!
//! All ASCII so that e-mail addresses can be derived from names directly. E-mail domains use
//! the reserved `example` names and phone numbers the unassigned `+99` prefix, so no generated
//! contact detail can belong to a real person.

pub const FEMALE_FIRST_NAMES: &[&str] = &[
    "Anna",
    "Maria",
    "Emma",
    "Sophie",
    "Laura",
    "Julia",
    "Lena",
    "Sarah",
    "Lisa",
    "Hannah",
    "Clara",
    "Mia",
    "Lea",
    "Nina",
    "Katharina",
    "Elena",
    "Johanna",
    "Paula",
    "Marie",
    "Sandra",
    "Claudia",
    "Petra",
    "Sabine",
    "Monika",
    "Ursula",
    "Ingrid",
    "Helga",
    "Eva",
    "Ida",
    "Greta",
    "Alina",
    "Chiara",
    "Zoe",
    "Amelie",
    "Isabel",
    "Carla",
    "Nora",
    "Olivia",
    "Rosa",
    "Vera",
];

pub const MALE_FIRST_NAMES: &[&str] = &[
    "Lukas",
    "Leon",
    "Felix",
    "Jonas",
    "Paul",
    "Max",
    "Elias",
    "Noah",
    "Ben",
    "Finn",
    "David",
    "Tim",
    "Jan",
    "Tobias",
    "Florian",
    "Sebastian",
    "Michael",
    "Thomas",
    "Andreas",
    "Stefan",
    "Peter",
    "Klaus",
    "Wolfgang",
    "Juergen",
    "Frank",
    "Markus",
    "Daniel",
    "Alexander",
    "Simon",
    "Moritz",
    "Emil",
    "Oskar",
    "Anton",
    "Henry",
    "Luca",
    "Matteo",
    "Samuel",
    "Victor",
    "Hugo",
    "Karl",
];

pub const LAST_NAMES: &[&str] = &[
    "Mueller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schroeder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Hofmann",
    "Zimmermann",
    "Hartmann",
    "Krueger",
    "Lange",
    "Werner",
    "Lehmann",
    "Koehler",
    "Maier",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Scholz",
    "Moeller",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Berger",
    "Frank",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Ludwig",
    "Winter",
    "Simon",
    "Kraus",
    "Martin",
    "Rossi",
    "Bianchi",
    "Dubois",
    "Laurent",
    "Garcia",
    "Lopez",
    "Novak",
    "Kowalski",
    "Jansen",
    "Andersen",
];

pub const EMAIL_DOMAINS: &[&str] = &[
    "example.com",
    "example.net",
    "example.org",
    "mail.example",
    "post.example",
];

pub const REGIONS: &[&str] = &["North", "South", "East", "West", "Central"];
/// Share of customers per region, same order as `REGIONS`.
pub const REGION_WEIGHTS: &[f64] = &[0.18, 0.24, 0.17, 0.25, 0.16];
/// Cities per region with their relative size.
pub const CITIES: &[&[(&str, f64)]] = &[
    &[
        ("Hamburg", 5.0),
        ("Bremen", 2.0),
        ("Hanover", 2.0),
        ("Kiel", 1.0),
        ("Luebeck", 0.8),
    ],
    &[
        ("Munich", 5.0),
        ("Stuttgart", 3.0),
        ("Nuremberg", 2.0),
        ("Augsburg", 1.2),
        ("Freiburg", 1.0),
    ],
    &[
        ("Berlin", 6.0),
        ("Leipzig", 2.0),
        ("Dresden", 2.0),
        ("Rostock", 0.8),
        ("Potsdam", 0.8),
    ],
    &[
        ("Cologne", 4.0),
        ("Dusseldorf", 3.0),
        ("Dortmund", 2.5),
        ("Essen", 2.2),
        ("Bonn", 1.2),
    ],
    &[
        ("Frankfurt", 4.0),
        ("Mainz", 1.2),
        ("Kassel", 1.0),
        ("Erfurt", 1.0),
        ("Wiesbaden", 1.1),
    ],
];

pub const INDUSTRIES: &[&str] = &[
    "retail",
    "manufacturing",
    "healthcare",
    "hospitality",
    "education",
    "technology",
    "construction",
    "logistics",
    "public_sector",
    "finance",
];
pub const INDUSTRY_WEIGHTS: &[f64] = &[0.16, 0.14, 0.10, 0.10, 0.07, 0.12, 0.10, 0.09, 0.05, 0.07];

pub const COMPANY_SIZES: &[&str] = &["small", "medium", "large"];
pub const COMPANY_SIZE_WEIGHTS: &[f64] = &[0.60, 0.30, 0.10];

pub const ACQUISITION_CHANNELS: &[&str] = &[
    "organic",
    "paid_search",
    "social",
    "referral",
    "partner",
    "store",
];
pub const ACQUISITION_WEIGHTS_B2C: &[f64] = &[0.30, 0.22, 0.16, 0.12, 0.05, 0.15];
pub const ACQUISITION_WEIGHTS_B2B: &[f64] = &[0.25, 0.15, 0.03, 0.15, 0.35, 0.07];
/// Index of 'referral' in `ACQUISITION_CHANNELS`.
pub const ACQUISITION_REFERRAL: usize = 3;
/// Index of 'organic' in `ACQUISITION_CHANNELS` (fallback when nobody could have referred).
pub const ACQUISITION_ORGANIC: usize = 0;

/// Contact channels: the values of `customers.preferred_channel` and `interactions.channel`.
pub const CONTACT_CHANNELS: &[&str] = &["sms", "email", "app", "phone", "social", "visit"];
pub const CH_SMS: usize = 0;
pub const CH_EMAIL: usize = 1;
pub const CH_APP: usize = 2;
pub const CH_PHONE: usize = 3;
pub const CH_SOCIAL: usize = 4;
pub const CH_VISIT: usize = 5;
/// Outbound cost per contact in cents (delivery cost: an e-mail costs a cent, a visit a lot).
pub const OUTBOUND_COST_CENTS: [i64; 6] = [5, 1, 1, 250, 10, 1500];
/// Handling cost of an inbound contact in cents (agent time).
pub const INBOUND_COST_CENTS: [i64; 6] = [50, 120, 80, 300, 100, 500];

pub const ORDER_CHANNELS: &[&str] = &["online", "store", "app"];
pub const OC_ONLINE: usize = 0;
pub const OC_STORE: usize = 1;
pub const OC_APP: usize = 2;

pub const ORDER_STATUSES: &[&str] = &["completed", "refunded", "cancelled"];
pub const ST_COMPLETED: usize = 0;
pub const ST_REFUNDED: usize = 1;
pub const ST_CANCELLED: usize = 2;

pub const INTERACTION_KINDS: &[&str] = &["campaign", "service", "visit", "survey", "care"];
pub const KIND_CAMPAIGN: usize = 0;
pub const KIND_SERVICE: usize = 1;
pub const KIND_VISIT: usize = 2;
pub const KIND_SURVEY: usize = 3;
pub const KIND_CARE: usize = 4;

pub const DIRECTIONS: &[&str] = &["outbound", "inbound"];
pub const DIR_OUTBOUND: usize = 0;
pub const DIR_INBOUND: usize = 1;

pub const GENDERS: &[&str] = &["F", "M", "X"];
pub const GENDER_WEIGHTS: &[f64] = &[0.49, 0.49, 0.02];

pub const CUSTOMER_TYPES: &[&str] = &["B2C", "B2B"];
