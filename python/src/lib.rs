//! `amt_hello._native`: the Rust crate `amt-hello` for Python (PyO3, abi3). The Python package
//! `amt_hello` (python/python/amt_hello/) re-exports it; its stubs are `_native.pyi` there.
//!
//! It wraps the crate directly, not the C ABI: every fact comes from the crate. A `Hello`'s
//! attributes and `to_dict()` are the crate's `serde` object (the keys of `amt-hello decode`
//! and the shared vectors), and a `DecodeError` carries the crate's `kind()`, `offset()` and
//! `Display` text.

use std::hash::{Hash, Hasher};
use std::time::Duration;

use amt_hello::{Frame as FrameOf, HelloView, Policy};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use serde::{Deserialize, Serialize};
use serde_json::Value;

// `amt-hello decode`'s hex input (whitespace ignored; its error messages), compiled in from the
// CLI rather than copied, so that `python -m amt_hello decode` says what it says. (The wheel is
// built from the repository; an sdist would have to carry this file.)
#[path = "../../cli/src/hex.rs"]
mod cli_hex;

create_exception!(
    amt_hello,
    DecodeError,
    PyValueError,
    "Why bytes are not a valid Hello: `kind` (e.g. 'truncated'), `offset` (of the offending field), \
     for a truncated message `needed` and `exact`, and the Rust crate's message as str(error)."
);

/// The crate's error as a Python `DecodeError`, with `kind` and `offset` set, and for a
/// truncated message `needed` and `exact` (None otherwise).
fn decode_error(py: Python<'_>, error: amt_hello::DecodeError) -> PyErr {
    let err = DecodeError::new_err(error.to_string());
    let value = err.value(py);
    let needed = match error {
        amt_hello::DecodeError::Truncated { needed, .. } => Some(needed),
        _ => None,
    };
    let attributes = value
        .setattr("kind", error.kind())
        .and_then(|()| value.setattr("offset", error.offset()))
        .and_then(|()| value.setattr("needed", needed.map(|n| n.at_least())))
        .and_then(|()| value.setattr("exact", needed.map(|n| n.exact().is_some())));
    match attributes {
        Ok(()) => err,
        Err(e) => e,
    }
}

fn policy(lenient: bool) -> Policy {
    if lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    }
}

/// A JSON value as the Python object `json.loads` would make of it.
fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_pyobject(py)?.into_any(),
            (None, Some(i)) => i.into_pyobject(py)?.into_any(),
            (None, None) => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(entries) => {
            let dict = PyDict::new(py);
            for (key, item) in entries {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// `Name(key=repr(value), ...)`, each value the attribute `key` of `object`.
fn repr_of<'a>(
    object: &Bound<'_, PyAny>,
    name: &str,
    keys: impl IntoIterator<Item = &'a str>,
) -> PyResult<String> {
    let mut fields = Vec::new();
    for key in keys {
        fields.push(format!("{key}={}", object.getattr(key)?.repr()?));
    }
    Ok(format!("{name}({})", fields.join(", ")))
}

/// The keys of a JSON object (none for anything else).
fn keys(value: &Value) -> impl Iterator<Item = &str> {
    value
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys().map(String::as_str))
}

/// One certificate-hash entry of a PKI Hello.
#[pyclass(frozen, eq, hash, module = "amt_hello")]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct CertHash {
    /// The algorithm's name, e.g. 'sha256' (lenient: 'unknown(CODE)').
    #[pyo3(get)]
    algorithm: String,
    /// The digest as lowercase hex.
    #[pyo3(get)]
    digest: String,
}

#[pymethods]
impl CertHash {
    /// The entry as `amt-hello decode` prints it: {'algorithm': ..., 'digest': ...}.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Ok(to_python(py, &self.json()?)?.cast_into::<PyDict>()?)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr_of(slf.as_any(), "CertHash", keys(&slf.get().json()?))
    }
}

/// A valid Hello, read once: its fields are those of the crate's JSON object (`amt-hello
/// decode`), which `deny_unknown_fields` keeps equal to this struct's.
#[pyclass(frozen, eq, module = "amt_hello")]
#[derive(Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hello {
    /// The message's length in bytes.
    #[pyo3(get)]
    len: usize,
    /// 2 (PSK, with `pid`) or 3 (PKI, with `cert_hashes`).
    #[pyo3(get)]
    version: u16,
    /// False for a localized BIOS: new admin credentials must be set before setup completes.
    #[pyo3(get)]
    admin_credentials_set: bool,
    /// 0 for the first attempt of the window, up to 14 (more only leniently).
    #[pyo3(get)]
    retry_count: u32,
    /// The GUID text, e.g. '939b524b-13d4-1d18-e487-1c697a6b7a2b'.
    #[pyo3(get)]
    uuid: String,
    /// The UUID's 16 bytes as lowercase hex, in wire order.
    #[pyo3(get)]
    uuid_raw: String,
    /// The PSK one-time PID, e.g. 'ABCD-1234'; None for PKI.
    #[pyo3(get)]
    pid: Option<String>,
    cert_hashes: Vec<CertHash>,
    /// The crate's JSON object, for `to_dict()`, in its key order.
    #[serde(skip)]
    json: Value,
}

impl CertHash {
    /// The entry as JSON: the crate's keys, which `Deserialize` checked, in its order.
    fn json(&self) -> PyResult<Value> {
        serde_json::to_value(self).map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

impl Hello {
    fn of(view: &HelloView<'_>) -> PyResult<Self> {
        let json = serde_json::to_value(view).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let hello = Hello::deserialize(&json)
            .map_err(|e| PyValueError::new_err(format!("the crate's Hello object changed: {e}")))?;
        Ok(Hello { json, ..hello })
    }
}

#[pymethods]
impl Hello {
    /// The certificate-hash entries (PKI; empty for PSK), in wire order.
    #[getter]
    fn cert_hashes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.cert_hashes.iter().cloned())
    }

    /// The object `amt-hello decode` prints, as `json.loads` would read it: the same keys, in
    /// the same order, so `json.dumps(hello.to_dict(), separators=(',', ':'))` is its line.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Ok(to_python(py, &self.json)?.cast_into::<PyDict>()?)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr_of(slf.as_any(), "Hello", keys(&slf.get().json))
    }

    /// Hashable, as a frozen dataclass is: equal Hellos have equal JSON objects.
    fn __hash__(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.json.to_string().hash(&mut hasher);
        hasher.finish()
    }
}

/// Parses one whole Hello (strict, or lenient) from bytes or a bytearray, or raises
/// `DecodeError`.
#[pyfunction]
#[pyo3(signature = (data, *, lenient = false))]
fn parse(py: Python<'_>, data: PyBackedBytes, lenient: bool) -> PyResult<Hello> {
    match HelloView::parse_with(&data, policy(lenient)) {
        Ok(view) => Hello::of(&view),
        Err(e) => Err(decode_error(py, e)),
    }
}

/// What `frame()` says of the bytes a stream has delivered so far.
#[pyclass(frozen, module = "amt_hello")]
struct Frame {
    /// The Hello at the front of the bytes, when it is complete (bytes after it are not its).
    #[pyo3(get)]
    hello: Option<Py<Hello>>,
    /// How many bytes the message has in all: exactly, or at least (see `exact`).
    #[pyo3(get)]
    needed: usize,
    /// Whether `needed` is the message's exact length.
    #[pyo3(get)]
    exact: bool,
    /// Incomplete: the offset of the first field the bytes do not hold completely.
    #[pyo3(get)]
    offset: Option<usize>,
}

#[pymethods]
impl Frame {
    /// Whether a whole Hello is at the front of the bytes.
    #[getter]
    fn complete(&self) -> bool {
        self.hello.is_some()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["complete", "needed", "exact", "offset", "hello"];
        repr_of(slf.as_any(), "Frame", fields)
    }
}

/// Is a whole Hello at the front of `data` (a stream's bytes so far)? Raises `DecodeError`
/// when no more bytes can make it valid.
#[pyfunction]
#[pyo3(signature = (data, *, lenient = false))]
fn frame(py: Python<'_>, data: PyBackedBytes, lenient: bool) -> PyResult<Frame> {
    match amt_hello::frame_with(&data, policy(lenient)) {
        Ok(FrameOf::Complete(view)) => Ok(Frame {
            hello: Some(Py::new(py, Hello::of(&view)?)?),
            needed: view.encoded_len(),
            exact: true,
            offset: None,
        }),
        Ok(FrameOf::Incomplete { offset, needed }) => Ok(Frame {
            hello: None,
            needed: needed.at_least(),
            exact: needed.exact().is_some(),
            offset: Some(offset),
        }),
        Err(e) => Err(decode_error(py, e)),
    }
}

/// One Hello the device sends: the fields of the crate's `Attempt`.
#[pyclass(frozen, eq, hash, module = "amt_hello")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Attempt {
    /// 0-based attempt number.
    #[pyo3(get)]
    number: u32,
    /// Time since the window opened.
    #[pyo3(get)]
    at: Duration,
    /// Time since the previous attempt (zero for the first).
    #[pyo3(get)]
    delay: Duration,
    /// The retry count this attempt's Hello carries.
    #[pyo3(get)]
    retry_count: u32,
    /// Whether this is the last attempt before the window closes.
    #[pyo3(get)]
    is_last: bool,
}

impl From<amt_hello::Attempt> for Attempt {
    fn from(a: amt_hello::Attempt) -> Self {
        Attempt {
            number: a.number,
            at: a.at,
            delay: a.delay,
            retry_count: a.retry_count,
            is_last: a.is_last,
        }
    }
}

#[pymethods]
impl Attempt {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["number", "at", "delay", "retry_count", "is_last"];
        repr_of(slf.as_any(), "Attempt", fields)
    }
}

/// When a device in Setup Mode sends its Hellos: the default cadence over a window.
#[pyclass(frozen, eq, hash, module = "amt_hello")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct RetrySchedule(amt_hello::RetrySchedule);

#[pymethods]
impl RetrySchedule {
    /// The default cadence over a window of `window` (a timedelta, up to 255 hours).
    #[new]
    fn new(window: Duration) -> PyResult<Self> {
        amt_hello::RetrySchedule::new(amt_hello::Cadence::DEFAULT, window)
            .map(RetrySchedule)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The window the first time a device enters Setup Mode (24 hours).
    #[staticmethod]
    fn first_window() -> Self {
        RetrySchedule(amt_hello::RetrySchedule::first_window())
    }

    /// The window when it is re-opened later (6 hours).
    #[staticmethod]
    fn reopened_window() -> Self {
        RetrySchedule(amt_hello::RetrySchedule::reopened_window())
    }

    /// How long the window stays open.
    #[getter]
    fn window(&self) -> Duration {
        self.0.window()
    }

    /// Every attempt, in order.
    fn __iter__(&self) -> Attempts {
        Attempts(self.0.attempts())
    }

    /// How many attempts the device makes before the window closes.
    fn __len__(&self) -> usize {
        usize::try_from(self.0.attempt_count()).unwrap_or(usize::MAX)
    }

    /// Attempt number `n` (0-based), or None.
    fn attempt(&self, n: u32) -> Option<Attempt> {
        self.0.attempt(n).map(Attempt::from)
    }

    /// The latest attempt sent at or before `elapsed` since the window opened.
    fn attempt_at(&self, elapsed: Duration) -> Option<Attempt> {
        self.0.attempt_at(elapsed).map(Attempt::from)
    }

    /// The first attempt after `elapsed`, if the window is still open then.
    fn next_after(&self, elapsed: Duration) -> Option<Attempt> {
        self.0.next_after(elapsed).map(Attempt::from)
    }

    /// The earliest time after the window opened at which a Hello with this retry count can
    /// have been sent, or None.
    fn earliest_send_time(&self, retry_count: u32) -> Option<Duration> {
        self.0.earliest_send_time(retry_count)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr_of(slf.as_any(), "RetrySchedule", ["window"])
    }
}

/// The attempts of a `RetrySchedule`, in order.
#[pyclass(module = "amt_hello")]
struct Attempts(amt_hello::Attempts);

#[pymethods]
impl Attempts {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> Option<Attempt> {
        self.0.next().map(Attempt::from)
    }

    fn __length_hint__(&self) -> usize {
        self.0.len()
    }
}

/// `amt-hello decode`'s bytes of a hex argument or line, or ValueError with its message.
#[pyfunction]
fn _hex_input<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyBytes>> {
    cli_hex::to_bytes(text)
        .map(|bytes| PyBytes::new(py, &bytes))
        .map_err(PyValueError::new_err)
}

/// Whether `amt-hello decode` skips this stdin line: blank as Rust's `str::trim` sees it.
#[pyfunction]
fn _is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("DecodeError", m.py().get_type::<DecodeError>())?;
    m.add_class::<Hello>()?;
    m.add_class::<CertHash>()?;
    m.add_class::<Frame>()?;
    m.add_class::<RetrySchedule>()?;
    m.add_class::<Attempt>()?;
    m.add_class::<Attempts>()?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(frame, m)?)?;
    m.add_function(wrap_pyfunction!(_hex_input, m)?)?;
    m.add_function(wrap_pyfunction!(_is_blank, m)?)?;
    m.add("MAX_LEN", amt_hello::MAX_LEN)?;
    m.add("MAX_STRICT_LEN", amt_hello::MAX_STRICT_LEN)?;
    m.add("MAX_RETRY_COUNT", amt_hello::MAX_RETRY_COUNT)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
