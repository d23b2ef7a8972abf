/**
 * Text fragments for property tests of the whole engine: PII values of every type written as
 * real text would carry them (with a context word where the type needs one), filler, and hard
 * negatives. Property tests compose random documents from these.
 */
export const PII_FRAGMENTS: readonly string[] = [
  "bob.smith+news@example.co.uk",
  "jürgen@bücher.de",
  "Card: 4111 1111 1111 1111",
  "mastercard 2221-0000-0000-0009",
  "amex 3782 822463 10005",
  "SSN 536-22-1234",
  "phone +1 415-555-2671",
  "call (415) 555-2671",
  "tel +44 20 7946 0958",
  "client 192.168.10.20 connected",
  "from 2001:db8::8a2e:370:7334",
  "1600 Pennsylvania Avenue NW, Washington, DC 20500",
  "221B Baker Street, London NW1 6XE",
  "Hauptstraße 5, 80331 München",
  "passport no. 533401234",
];

export const FILLER_FRAGMENTS: readonly string[] = [
  "hello",
  "the",
  "user",
  "said",
  "ok.",
  "\n",
  " ",
  ", ",
  "{\"k\": \"",
  "\"}",
  "order #100234567",
  "version 1.2.3.4",
  "2024-01-15T10:30:00Z",
  "$1,234.56",
  "550e8400-e29b-41d4-a716-446655440000",
  "ISBN 978-3-16-148410-0",
  "<",
  ">",
  "@",
  "1234",
  "ü",
  "😀",
];
