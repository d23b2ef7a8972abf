//! The few Node-API functions the addon calls, declared by hand (no crates are reachable here, and
//! these signatures are Node-API's stable C ABI, js_native_api.h). The symbols resolve against
//! the node binary when it loads the addon. This is the only module with `unsafe` code.
#![allow(non_camel_case_types)]

use std::cell::Cell;
use std::ffi::c_void;
use std::os::raw::c_char;

#[repr(C)]
pub struct napi_env__ {
    _private: [u8; 0],
}
#[repr(C)]
pub struct napi_value__ {
    _private: [u8; 0],
}
#[repr(C)]
pub struct napi_callback_info__ {
    _private: [u8; 0],
}
pub type napi_env = *mut napi_env__;
pub type napi_value = *mut napi_value__;
pub type napi_callback_info = *mut napi_callback_info__;
pub type napi_status = i32;
pub type napi_callback = unsafe extern "C" fn(env: napi_env, info: napi_callback_info) -> napi_value;

pub const NAPI_OK: napi_status = 0;
pub const NAPI_FLOAT64_ARRAY: i32 = 8;

extern "C" {
    pub fn napi_get_cb_info(
        env: napi_env,
        info: napi_callback_info,
        argc: *mut usize,
        argv: *mut napi_value,
        this_arg: *mut napi_value,
        data: *mut *mut c_void,
    ) -> napi_status;
    pub fn napi_get_value_string_utf16(
        env: napi_env,
        value: napi_value,
        buf: *mut u16,
        bufsize: usize,
        result: *mut usize,
    ) -> napi_status;
    pub fn napi_get_typedarray_info(
        env: napi_env,
        typedarray: napi_value,
        kind: *mut i32,
        length: *mut usize,
        data: *mut *mut c_void,
        arraybuffer: *mut napi_value,
        byte_offset: *mut usize,
    ) -> napi_status;
    pub fn napi_get_value_int32(env: napi_env, value: napi_value, result: *mut i32) -> napi_status;
    pub fn napi_get_value_double(env: napi_env, value: napi_value, result: *mut f64) -> napi_status;
    pub fn napi_create_int32(env: napi_env, value: i32, result: *mut napi_value) -> napi_status;
    pub fn napi_create_function(
        env: napi_env,
        name: *const c_char,
        length: usize,
        cb: napi_callback,
        data: *mut c_void,
        result: *mut napi_value,
    ) -> napi_status;
    pub fn napi_set_named_property(env: napi_env, object: napi_value, name: *const c_char, value: napi_value) -> napi_status;
    pub fn napi_throw_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
}

/// One call from JavaScript: its arguments, read through safe accessors. Every export of the
/// addon is a `fn(&Call) -> Result<i32, String>`; `Err` becomes a thrown Error.
pub struct Call {
    env: napi_env,
    argv: [napi_value; MAX_ARGS],
    argc: usize,
    /// The byte ranges of the typed arrays handed out as `&mut` slices so far in this call: one
    /// array passed twice (or two views of one buffer) must not become two aliasing slices.
    /// A fixed table, not a Vec: no allocation per call (at most one range per argument).
    lent: [Cell<(usize, usize)>; MAX_ARGS],
    lent_count: Cell<usize>,
}

const MAX_ARGS: usize = 6;

impl Call {
    fn arg(&self, index: usize) -> Result<napi_value, String> {
        if index < self.argc && index < MAX_ARGS {
            Ok(self.argv[index])
        } else {
            Err(format!("argument {index} is missing"))
        }
    }

    /// Whether the call passed an argument `index`.
    pub fn has(&self, index: usize) -> bool {
        index < self.argc && index < MAX_ARGS
    }

    /// Argument `index` as a 32-bit integer.
    pub fn int(&self, index: usize) -> Result<i32, String> {
        let value = self.arg(index)?;
        let mut out = 0i32;
        // SAFETY: env and value come from this call's callback info.
        let status = unsafe { napi_get_value_int32(self.env, value, &mut out) };
        if status != NAPI_OK {
            return Err(format!("argument {index} must be a number"));
        }
        Ok(out)
    }

    /// Argument `index` as a double.
    pub fn double(&self, index: usize) -> Result<f64, String> {
        let value = self.arg(index)?;
        let mut out = 0f64;
        // SAFETY: env and value come from this call's callback info.
        let status = unsafe { napi_get_value_double(self.env, value, &mut out) };
        if status != NAPI_OK {
            return Err(format!("argument {index} must be a number"));
        }
        Ok(out)
    }

    /// Argument `index`, a string, copied into `buffer` as UTF-16 code units (replacing its contents).
    pub fn string_into(&self, index: usize, buffer: &mut Vec<u16>) -> Result<(), String> {
        let value = self.arg(index)?;
        let mut length = 0usize;
        // SAFETY: a null buffer asks only for the length.
        let status = unsafe { napi_get_value_string_utf16(self.env, value, std::ptr::null_mut(), 0, &mut length) };
        if status != NAPI_OK {
            return Err(format!("argument {index} must be a string"));
        }
        self.copy_string(index, value, length, buffer)
    }

    /// `string_into` for a caller that also passes the string's length (`text.length`, argument
    /// `length_index`): one Node-API call instead of two. A wrong length fails the call.
    pub fn string_of_length_into(&self, index: usize, length_index: usize, buffer: &mut Vec<u16>) -> Result<(), String> {
        let value = self.arg(index)?;
        let length = usize::try_from(self.int(length_index)?).map_err(|_| format!("argument {length_index} must be a length"))?;
        self.copy_string(index, value, length, buffer)
    }

    /// Copies the string `value`, said to be `length` code units long, into `buffer`. Room is made
    /// for one unit more than that (and the NUL Node-API writes after the copy): a longer string
    /// then copies length + 1 units, a shorter one fewer, and either fails the check.
    fn copy_string(&self, index: usize, value: napi_value, length: usize, buffer: &mut Vec<u16>) -> Result<(), String> {
        let room = length.checked_add(2).ok_or_else(|| format!("argument {index} is too long"))?;
        // Written into the buffer's spare capacity: zeroing it first would cost a pass over the text.
        buffer.clear();
        buffer.reserve(room);
        let spare = buffer.spare_capacity_mut();
        if spare.len() < room {
            return Err(format!("argument {index} is too long"));
        }
        let mut copied = usize::MAX;
        // SAFETY: `spare` has room for `room` code units, as bufsize says; Node-API only writes them.
        let status =
            unsafe { napi_get_value_string_utf16(self.env, value, spare.as_mut_ptr().cast::<u16>(), room, &mut copied) };
        if status != NAPI_OK {
            return Err(format!("argument {index} must be a string"));
        }
        if copied != length {
            return Err(format!("argument {index} could not be read"));
        }
        // SAFETY: Node-API wrote the first `copied` (= length < room <= capacity) code units.
        unsafe { buffer.set_len(length) };
        Ok(())
    }

    /// Argument `index`, a Float64Array, as a slice the call may write. Valid for this call only:
    /// no JavaScript runs while the addon works, so the buffer can be neither detached nor read.
    pub fn f64_array(&self, index: usize) -> Result<&mut [f64], String> {
        let value = self.arg(index)?;
        let mut kind = -1i32;
        let mut length = 0usize;
        let mut data: *mut c_void = std::ptr::null_mut();
        let mut buffer: napi_value = std::ptr::null_mut();
        let mut offset = 0usize;
        // SAFETY: all out-pointers are valid locals.
        let status = unsafe {
            napi_get_typedarray_info(self.env, value, &mut kind, &mut length, &mut data, &mut buffer, &mut offset)
        };
        if status != NAPI_OK || kind != NAPI_FLOAT64_ARRAY {
            return Err(format!("argument {index} must be a Float64Array"));
        }
        if length == 0 || data.is_null() {
            return Ok(&mut []);
        }
        let from = data as usize;
        let to = from + length * std::mem::size_of::<f64>();
        let count = self.lent_count.get();
        let lent = self.lent.get(..count).unwrap_or(&[]);
        if lent.iter().any(|range| {
            let (a, b) = range.get();
            from < b && a < to
        }) {
            return Err(format!("argument {index} shares memory with another array argument"));
        }
        let slot = self.lent.get(count).ok_or_else(|| format!("argument {index}: too many arrays"))?;
        slot.set((from, to));
        self.lent_count.set(count + 1);
        // SAFETY: Node-API reports `length` f64 elements at `data` (a Float64Array is 8-byte
        // aligned), alive and not moved for the duration of this synchronous call.
        Ok(unsafe { std::slice::from_raw_parts_mut(data as *mut f64, length) })
    }
}

/// Runs one export for a callback from JavaScript.
pub fn dispatch(env: napi_env, info: napi_callback_info, export: fn(&Call) -> Result<i32, String>) -> napi_value {
    let mut call = Call {
        env,
        argv: [std::ptr::null_mut(); MAX_ARGS],
        argc: MAX_ARGS,
        lent: Default::default(),
        lent_count: Cell::new(0),
    };
    let mut result: napi_value = std::ptr::null_mut();
    // SAFETY: argv has room for argc values; unused out-pointers are null, as Node-API allows.
    let status = unsafe {
        napi_get_cb_info(env, info, &mut call.argc, call.argv.as_mut_ptr(), std::ptr::null_mut(), std::ptr::null_mut())
    };
    // A panic is a kernel bug: it must not cross into C (undefined behaviour) nor end the
    // process; it becomes an Error, and the engine falls back to its TypeScript recognizers.
    let outcome = if status != NAPI_OK {
        Err("bad call".to_string())
    } else {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| export(&call)))
            .unwrap_or_else(|_| Err("the PII kernel panicked (a bug); see the message above".to_string()))
    };
    match outcome {
        Ok(value) => {
            // SAFETY: env is this call's.
            unsafe { napi_create_int32(env, value, &mut result) };
        }
        Err(message) => {
            let text = std::ffi::CString::new(message.replace('\0', " ")).unwrap_or_default();
            // SAFETY: both strings are NUL-terminated and outlive the call.
            unsafe { napi_throw_error(env, std::ptr::null(), text.as_ptr()) };
        }
    }
    result
}

/// Declares the addon's exports: `exports!{ name => function, ... }` makes one C callback per
/// function and the module's registration entry point.
#[macro_export]
macro_rules! exports {
    ($($name:literal => $function:path),* $(,)?) => {
        #[no_mangle]
        #[allow(unsafe_code)]
        pub unsafe extern "C" fn napi_register_module_v1(
            env: $crate::napi::napi_env,
            exports: $crate::napi::napi_value,
        ) -> $crate::napi::napi_value {
            $(
                {
                    unsafe extern "C" fn callback(
                        env: $crate::napi::napi_env,
                        info: $crate::napi::napi_callback_info,
                    ) -> $crate::napi::napi_value {
                        $crate::napi::dispatch(env, info, $function)
                    }
                    let name = concat!($name, "\0");
                    let mut function: $crate::napi::napi_value = std::ptr::null_mut();
                    $crate::napi::napi_create_function(
                        env,
                        name.as_ptr() as *const std::os::raw::c_char,
                        $name.len(),
                        callback,
                        std::ptr::null_mut(),
                        &mut function,
                    );
                    $crate::napi::napi_set_named_property(env, exports, name.as_ptr() as *const std::os::raw::c_char, function);
                }
            )*
            exports
        }
    };
}
