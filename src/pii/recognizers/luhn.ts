/**
 * The Luhn (mod 10) checksum over a string of ASCII digits, as payment card numbers (ISO/IEC
 * 7812) and IMEIs carry it. It catches every single-digit error and most adjacent swaps.
 */
export function luhnValid(digits: string): boolean {
  const values = new Uint8Array(digits.length);
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    values[i] = d;
  }
  return luhnValidDigits(values, values.length);
}

/** luhnValid on the first `n` digit values (0-9) of `digits`, for a caller that has no string. */
export function luhnValidDigits(digits: ArrayLike<number>, n: number): boolean {
  let sum = 0;
  let double = false;
  for (let i = n - 1; i >= 0; i--) {
    let d = digits[i]!;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return n > 0 && sum % 10 === 0;
}
