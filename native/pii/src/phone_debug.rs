//! Debug exports of the phone metadata (recognizers/phone_metadata.rs), for the differential
//! tests in test/pii/native/phone-metadata.test.ts: the same questions phoneNumbering answers.

use crate::napi::Call;
use crate::recognizers::phone_leading::compile_leading_digits;
use crate::recognizers::phone_metadata;

/// A string argument as bytes (code units above 255 become a byte no pattern matches).
fn bytes_arg(call: &Call, index: usize) -> Result<Vec<u8>, String> {
    let mut text = Vec::new();
    call.string_into(index, &mut text)?;
    Ok(text.iter().map(|&c| if c < 256 { c as u8 } else { b'x' }).collect())
}

fn configured() -> Result<&'static phone_metadata::PhoneNumbering, String> {
    phone_metadata::numbering().ok_or_else(|| "phone-metadata is not configured".to_string())
}

/// `phoneValid(callingCode, nsn)`: 1 or 0.
pub fn phone_valid(call: &Call) -> Result<i32, String> {
    let code = call.int(0)?;
    let nsn = bytes_arg(call, 1)?;
    let numbering = configured()?;
    Ok(i32::from(u16::try_from(code).is_ok_and(|c| numbering.is_valid(c, &nsn))))
}

/// `phoneValidBatch(lines, out)`: lines "callingCode nsn" joined by "\n"; out[k] = 1 or 0 for
/// line k, as far as out holds.
pub fn phone_valid_batch(call: &Call) -> Result<i32, String> {
    let text = bytes_arg(call, 0)?;
    let out = call.f64_array(1)?;
    let numbering = configured()?;
    let mut checks: Vec<(u16, &[u8])> = Vec::new();
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let space = line.iter().position(|&b| b == b' ').ok_or("phoneValidBatch: a line without a space")?;
        let code = std::str::from_utf8(line.get(..space).unwrap_or_default())
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .ok_or("phoneValidBatch: bad calling code")?;
        checks.push((code, line.get(space + 1..).unwrap_or_default()));
    }
    for (slot, &(code, nsn)) in out.iter_mut().zip(checks.iter()) {
        *slot = if numbering.is_valid(code, nsn) { 1.0 } else { 0.0 };
    }
    Ok(checks.len() as i32)
}

/// `callingCodeOf(digits)`: the calling code, or -1.
pub fn calling_code_of(call: &Call) -> Result<i32, String> {
    let digits = bytes_arg(call, 0)?;
    Ok(configured()?.calling_code_of(&digits).map_or(-1, i32::from))
}

/// `callingCodeOfPrefix(value, length)`: the calling code, or -1.
pub fn calling_code_of_prefix(call: &Call) -> Result<i32, String> {
    let value = call.int(0)?;
    let length = call.int(1)?;
    let numbering = configured()?;
    if value < 0 || length < 0 {
        return Ok(-1);
    }
    Ok(numbering.calling_code_of_prefix(value as u32, length as usize).map_or(-1, i32::from))
}

/// `nationalPrefixOf(callingCode, out)`: the prefix's characters into out; its length, or -1.
pub fn national_prefix_of(call: &Call) -> Result<i32, String> {
    let code = call.int(0)?;
    let out = call.f64_array(1)?;
    let numbering = configured()?;
    let Some(prefix) = u16::try_from(code).ok().and_then(|c| numbering.national_prefix_of(c)) else { return Ok(-1) };
    for (slot, &b) in out.iter_mut().zip(prefix) {
        *slot = f64::from(b);
    }
    Ok(prefix.len() as i32)
}

/// `phoneLeading(pattern, nsn)`: 1 or 0 for compile_leading_digits(pattern).matches(nsn), or
/// -1 when the pattern is refused.
pub fn phone_leading(call: &Call) -> Result<i32, String> {
    let pattern = bytes_arg(call, 0)?;
    let nsn = bytes_arg(call, 1)?;
    let Ok(pattern) = std::str::from_utf8(&pattern) else { return Ok(-1) };
    match compile_leading_digits(pattern) {
        Ok(leading) => Ok(i32::from(leading.matches(&nsn))),
        Err(_) => Ok(-1),
    }
}
