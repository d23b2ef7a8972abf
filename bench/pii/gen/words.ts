/** Word lists for names, companies and filler. None of these strings is PII on its own. */

export const FIRST_NAMES = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
  "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily",
  "Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Leon", "Hannah", "Lukas",
  "Lena", "Felix", "Marie", "Louis", "Camille", "Hugo", "Chloé", "Arjun", "Priya", "Rohan", "Ananya",
  "Kenji", "Yuki", "Haruto", "Sakura", "Lucas", "Beatriz", "Mateus", "Larissa", "Chen", "Wei",
  "Fatima", "Omar", "Aisha", "Mohammed", "Sofia", "Mateo", "Ingrid", "Lars", "Zoë", "Jürgen",
  "François", "José", "Søren", "Dolores", "Siobhan", "Aoife", "Connor", "Nadia", "Ivan", "Olga",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Evans",
  "Hughes", "Roberts", "Patel", "Shah", "Singh", "Kumar", "Sharma", "Müller", "Schmidt", "Schneider",
  "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Dubois", "Durand", "Lefèvre", "Moreau",
  "Laurent", "Bernard", "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Silva", "Santos", "Oliveira",
  "Souza", "Pereira", "O'Brien", "Murphy", "Kelly", "Nguyen", "Kowalski", "Novak", "Ivanova", "Larsen",
] as const;

export const COMPANY_WORDS = [
  "acme", "northwind", "globex", "initech", "umbrella", "stark", "wayne", "tyrell", "cyberdyne", "hooli",
  "vandelay", "wonka", "soylent", "massive", "dunder", "sterling", "oceanic", "pied", "piper", "bluth",
  "contoso", "fabrikam", "tailspin", "litware", "adatum", "proseware", "wingtip", "lucerne", "alpine",
  "summit", "harbor", "granite", "cedar", "orbit", "nimbus", "quartz", "falcon", "maple", "redwood",
  "silver", "river", "lakeside", "bright", "nova", "vertex", "zenith", "apex", "polar", "ember",
] as const;

export const COMPANY_SUFFIXES = ["Inc.", "LLC", "Ltd", "GmbH", "SARL", "Corp.", "Group", "AG", "Pty Ltd"] as const;

export const JOB_TITLES = [
  "Account Manager", "Support Engineer", "Head of Operations", "Customer Success Lead", "CTO",
  "Billing Specialist", "Site Reliability Engineer", "Data Protection Officer", "Office Manager",
  "Procurement", "Senior Developer", "Sales Director",
] as const;

export const HOSTNAMES = [
  "web-01", "web-02", "api-gw", "db-primary", "edge-fra1", "edge-lhr2", "worker-7", "auth-3", "mx1", "bastion",
] as const;

export const PRODUCTS = [
  "Pro plan", "Team plan", "annual subscription", "USB-C dock", "noise-cancelling headset", "4K monitor",
  "ergonomic chair", "cloud backup add-on", "SSD 2TB", "standing desk", "router", "smart thermostat",
] as const;

/** Sentences that carry no PII: the filler real messages are made of. */
export const FILLER = [
  "Thanks for getting back to me so quickly.",
  "Let me know if you need anything else from my side.",
  "The problem started right after the last update.",
  "I have already tried restarting the app twice.",
  "Could you please look into this as soon as possible?",
  "We are still seeing the same behaviour this morning.",
  "Attached are the screenshots you asked for.",
  "Our team is blocked until this is resolved.",
  "I appreciate your patience while we investigate.",
  "This is the third time I am writing about this.",
  "Happy to jump on a call if that is easier.",
  "Please confirm once the change has been applied.",
  "The dashboard shows no errors, which is odd.",
  "Everything worked fine until Tuesday.",
  "I will forward this to the finance team.",
  "No rush, next week is fine.",
  "Sorry for the confusion in my previous message.",
  "The export finished but the file looks empty.",
  "Our auditors need this information by Friday.",
  "Can you escalate this to the second-level team?",
  "We rolled back the deployment as a precaution.",
  "Latency went up for roughly ten minutes and then recovered.",
  "The nightly job failed again with the same error.",
  "Kind of urgent, the customer is waiting.",
  "I could not find the setting you mentioned in the menu.",
  "Looks like the cache was not invalidated.",
] as const;

export const CHAT_FILLER = [
  "ok", "thx!", "on it", "lol", "one sec", "brb", "can you check?", "hmm weird", "works now 🎉",
  "did the deploy go out?", "sure", "np", "I'll ping them", "agreed", "👀", "let me look",
  "that's the one", "can't repro on my side", "sounds good", "merged",
] as const;

export const SUBJECTS = [
  "Re: billing question", "Account update", "Urgent: payment failed", "Fwd: shipping details",
  "Question about my order", "Onboarding documents", "Travel booking confirmation", "Your support request",
  "Updated contact details", "Re: Re: access problem", "Invoice query", "KYC verification",
] as const;

export const USER_AGENTS_PREFIX = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/",
  "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/",
  "curl/",
  "python-requests/",
  "okhttp/",
] as const;

export const URL_PATHS = [
  "/api/v2/users", "/api/v1/orders", "/login", "/checkout", "/static/app.js", "/healthz", "/api/v2/search",
  "/account/settings", "/graphql", "/mcp", "/favicon.ico", "/api/v1/invoices",
] as const;
