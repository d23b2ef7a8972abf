import type { Generated } from "./builder.js";
import type { Rng } from "./prng.js";

const US_STREETS = [
  "Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Lincoln", "Jefferson",
  "Sunset", "Highland", "Pennsylvania", "Market", "Mission", "Broadway", "Madison", "Franklin", "Walnut",
  "Chestnut", "Spring", "Ridge", "Willow", "Meadow", "Church", "Mill", "River", "Jackson", "Cherry", "5th",
  "Second", "Third", "42nd", "Martin Luther King Jr", "Old Country", "Peachtree", "Wilshire", "Ocean",
] as const;
const US_TYPES = [
  "Street", "St", "St.", "Avenue", "Ave", "Ave.", "Boulevard", "Blvd", "Road", "Rd", "Drive", "Dr", "Lane", "Ln",
  "Court", "Ct", "Way", "Place", "Pl", "Terrace", "Circle", "Parkway", "Pkwy", "Highway", "Trail",
] as const;
const US_UNITS = ["Apt 4B", "Apt. 12", "Apt 301", "Suite 300", "Ste 210", "Ste. 1450", "Unit 7", "#5", "# 204", "Fl 3", "Floor 12", "Bldg 2"] as const;
/** Real cities with their state and the first three digits of real ZIP codes there. */
const US_CITIES = [
  ["San Francisco", "CA", "941"], ["Los Angeles", "CA", "900"], ["New York", "NY", "100"], ["Brooklyn", "NY", "112"],
  ["Chicago", "IL", "606"], ["Springfield", "IL", "627"], ["Austin", "TX", "787"], ["Houston", "TX", "770"],
  ["Seattle", "WA", "981"], ["Portland", "OR", "972"], ["Denver", "CO", "802"], ["Boston", "MA", "021"],
  ["Miami", "FL", "331"], ["Atlanta", "GA", "303"], ["Phoenix", "AZ", "850"], ["Philadelphia", "PA", "191"],
  ["Washington", "DC", "200"], ["Columbus", "OH", "432"], ["Nashville", "TN", "372"], ["Minneapolis", "MN", "554"],
] as const;

const UK_STREETS = [
  "High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Baker Street", "Mill Lane",
  "King's Road", "Queen Street", "London Road", "The Crescent", "Manor Road", "Green Lane", "Oxford Road",
  "Castle Street", "New Road", "Albert Road", "Chapel Street", "Grange Road", "St John's Close", "Kingsway",
  "Old Gloucester Road", "Abbey Road", "Westbourne Grove",
] as const;
/** Towns with a real postcode area and district range. */
const UK_TOWNS = [
  ["London", ["SW1A", "NW1", "EC1A", "W1D", "SE1", "E14", "N1", "WC2H"]], ["Manchester", ["M1", "M4", "M20"]],
  ["Birmingham", ["B1", "B15", "B29"]], ["Leeds", ["LS1", "LS6"]], ["Bristol", ["BS1", "BS8"]],
  ["Edinburgh", ["EH1", "EH3", "EH10"]], ["Glasgow", ["G1", "G12"]], ["Cardiff", ["CF10", "CF24"]],
  ["Oxford", ["OX1", "OX4"]], ["Cambridge", ["CB1", "CB2"]], ["Brighton", ["BN1", "BN2"]], ["York", ["YO1", "YO10"]],
] as const;
const UK_FLATS = ["Flat 3", "Flat 12", "Flat 2B", "Apartment 5", "Unit 4"] as const;

const DE_STREETS = [
  "Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestr.", "Lindenallee", "Gartenweg", "Kirchgasse",
  "Berliner Straße", "Friedrichstraße", "Schulstraße", "Waldweg", "Ringstraße", "Dorfstr.", "Mühlenweg",
  "Am Markt", "Unter den Linden", "Kaiserstraße", "Rosenweg", "Im Winkel", "Parkstraße", "Königsallee", "Sonnenstraße",
] as const;
/** Cities with the real range of their five-digit postcodes. */
const DE_CITIES = [
  ["Berlin", 10115, 14199], ["München", 80331, 81929], ["Hamburg", 20095, 22769], ["Köln", 50667, 51149],
  ["Frankfurt am Main", 60306, 60599], ["Stuttgart", 70173, 70629], ["Düsseldorf", 40210, 40629],
  ["Leipzig", 4103, 4357], ["Dresden", 1067, 1328], ["Nürnberg", 90402, 90491], ["Bremen", 28195, 28779],
] as const;

const UK_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"; // inward codes never use C, I, K, M, O, V

function ukPostcode(rng: Rng, district: string): string {
  return `${district} ${rng.int(0, 9)}${rng.chars(UK_INWARD_LETTERS, 2)}`;
}

/** Joins address lines: one line with commas, or several lines as a letter or signature has them. */
function lines(parts: string[], multiline: boolean): string {
  return parts.join(multiline ? "\n" : ", ");
}

function usAddress(rng: Rng, singleLine: boolean): Generated {
  const number = rng.chance(0.15) ? String(rng.int(10000, 99999)) : String(rng.int(1, 9999));
  const dir = rng.chance(0.15) ? `${rng.pick(["N", "S", "E", "W", "North", "West"])} ` : "";
  const post = rng.chance(0.08) ? ` ${rng.pick(["NW", "NE", "SW", "SE"])}` : "";
  let street = `${number} ${dir}${rng.pick(US_STREETS)} ${rng.pick(US_TYPES)}${post}`;
  const shape = rng.weighted([["street", 2], ["street+unit", 1], ["full", 5], ["full+unit", 3]] as const);
  const [city, state, zip3] = rng.pick(US_CITIES);
  const zip = `${zip3}${rng.digits(2)}${rng.chance(0.2) ? `-${rng.digits(4)}` : ""}`;
  const multiline = !singleLine && shape.startsWith("full") && rng.chance(0.25);
  const unit = shape.endsWith("unit") ? rng.pick(US_UNITS) : "";
  const parts: string[] = [];
  if (unit && !multiline && rng.chance(0.5)) street = `${street} ${unit}`;
  else if (unit) parts.push(unit);
  parts.unshift(street);
  if (shape.startsWith("full")) parts.push(`${city}, ${state} ${zip}`);
  return { value: lines(parts, multiline), variant: `US:${shape}${multiline ? ":multiline" : ""}` };
}

function ukAddress(rng: Rng, singleLine: boolean): Generated {
  const number = `${rng.int(1, 240)}${rng.chance(0.1) ? rng.pick(["A", "B", "a"]) : ""}`;
  const street = `${number} ${rng.pick(UK_STREETS)}`;
  const shape = rng.weighted([["street", 2], ["street+town", 2], ["full", 5], ["flat+full", 2]] as const);
  const [town, districts] = rng.pick(UK_TOWNS);
  const postcode = ukPostcode(rng, rng.pick(districts));
  const multiline = !singleLine && shape.endsWith("full") && rng.chance(0.25);
  const parts: string[] = [];
  if (shape === "flat+full") parts.push(rng.pick(UK_FLATS));
  parts.push(street);
  if (shape === "street+town") parts.push(town);
  if (shape.endsWith("full")) {
    if (multiline) parts.push(town, postcode);
    else parts.push(`${town} ${postcode}`);
  }
  return { value: lines(parts, multiline), variant: `UK:${shape}${multiline ? ":multiline" : ""}` };
}

function deAddress(rng: Rng, singleLine: boolean): Generated {
  const number = `${rng.int(1, 180)}${rng.chance(0.15) ? rng.pick(["a", "b", "c"]) : ""}`;
  const street = `${rng.pick(DE_STREETS)} ${number}`;
  const shape = rng.weighted([["street", 2], ["full", 6], ["unit+full", 1]] as const);
  const [city, low, high] = rng.pick(DE_CITIES);
  const plz = String(rng.int(low, high)).padStart(5, "0");
  const multiline = !singleLine && shape.endsWith("full") && rng.chance(0.3);
  const parts = [street];
  if (shape === "unit+full") parts[0] = `${street}, ${rng.pick(["Whg. 3", "2. OG", "Hinterhaus", "App. 12"])}`;
  if (shape.endsWith("full")) parts.push(`${plz} ${city}`);
  return { value: lines(parts, multiline), variant: `DE:${shape}${multiline ? ":multiline" : ""}` };
}

/**
 * A US, UK or German street address, labelled whole: house number, street, unit, city, state and
 * postcode when present. `singleLine` for places that cannot hold a line break (JSON, CSV cells).
 */
export function generateAddress(rng: Rng, singleLine = false): Generated {
  const country = rng.weighted([["US", 5], ["UK", 3], ["DE", 3]] as const);
  if (country === "US") return usAddress(rng, singleLine);
  if (country === "UK") return ukAddress(rng, singleLine);
  return deAddress(rng, singleLine);
}

/** A postcode on its own (a hard negative): US ZIP, ZIP+4, UK or German. */
export function generatePostcode(rng: Rng): Generated {
  const kind = rng.weighted([["us-zip", 3], ["us-zip4", 1], ["uk", 3], ["de", 3]] as const);
  if (kind === "us-zip" || kind === "us-zip4") {
    const [, , zip3] = rng.pick(US_CITIES);
    const zip = `${zip3}${rng.digits(2)}`;
    return { value: kind === "us-zip4" ? `${zip}-${rng.digits(4)}` : zip, variant: kind };
  }
  if (kind === "uk") {
    const [, districts] = rng.pick(UK_TOWNS);
    return { value: ukPostcode(rng, rng.pick(districts)), variant: kind };
  }
  const [, low, high] = rng.pick(DE_CITIES);
  return { value: String(rng.int(low, high)).padStart(5, "0"), variant: kind };
}

export function pickCity(rng: Rng): string {
  return rng.pick([...US_CITIES.map((c) => c[0]), ...UK_TOWNS.map((t) => t[0]), ...DE_CITIES.map((c) => c[0])]);
}
