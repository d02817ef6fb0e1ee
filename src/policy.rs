//! What "valid" means: the strict default and the lenient policy a caller can choose (see the
//! [protocol page](crate::protocol#validation)).

use crate::algorithm::HashAlgorithm;
use crate::layout::ENTRY_OVERHEAD;
use crate::pid::Pid;

/// The largest retry count the documentation allows; larger ones pass only
/// [`Policy::Lenient`].
pub const MAX_RETRY_COUNT: u32 = 14;

/// Which messages a decoder accepts.
///
/// | | [`Strict`](Policy::Strict) (default) | [`Lenient`](Policy::Lenient) |
/// |---|---|---|
/// | retry count > 14 | rejected | accepted |
/// | PID byte outside `A-Z`, `0-9` | rejected | accepted |
/// | unknown hash algorithm code (0, ≥ 4), framed by its length byte | rejected | accepted |
/// | known code with the wrong length | rejected | rejected |
/// | admin-credentials word ∉ {0, 1}, version ∉ {2, 3} | rejected | rejected |
/// | truncation, trailing bytes | rejected | rejected |
///
/// Lenient is for an SCA that would rather log an odd device than turn it away; it never
/// accepts a message whose length or framing is in doubt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Policy {
    /// Accept only what the documentation allows.
    #[default]
    Strict,
    /// Also accept out-of-range retry counts, odd PID bytes and unknown hash algorithms.
    Lenient,
}

impl Policy {
    /// Whether this policy accepts `retry_count`.
    #[inline]
    pub const fn accepts_retry_count(self, retry_count: u32) -> bool {
        matches!(self, Policy::Lenient) || retry_count <= MAX_RETRY_COUNT
    }

    /// Whether this policy accepts `byte` inside a PID.
    #[inline]
    pub const fn accepts_pid_byte(self, byte: u8) -> bool {
        matches!(self, Policy::Lenient) || Pid::is_pid_byte(byte)
    }

    /// Whether this policy accepts hash entries whose algorithm code is unknown.
    #[inline]
    pub const fn accepts_unknown_algorithms(self) -> bool {
        matches!(self, Policy::Lenient)
    }

    /// The shortest certificate-hash entry this policy accepts: algorithm, length, digest.
    #[inline]
    pub(crate) const fn min_entry_len(self) -> usize {
        if self.accepts_unknown_algorithms() {
            ENTRY_OVERHEAD
        } else {
            ENTRY_OVERHEAD + HashAlgorithm::MIN_DIGEST_LEN
        }
    }
}
