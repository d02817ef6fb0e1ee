//! The wire layout, written once: where each field of a Hello sits.
//!
//! Every offset and length is derived from the private `field` table below; the parser's error
//! offsets, the header accessors and the encoder all read these constants. The
//! [protocol page](crate::protocol#the-common-header) draws the same layout as a table.
//!
//! ```
//! use amt_hello::layout::{ENTRY_OVERHEAD, HEADER_LEN, PKI_MIN_LEN, PSK_LEN};
//! assert_eq!((HEADER_LEN, PSK_LEN, PKI_MIN_LEN, ENTRY_OVERHEAD), (24, 32, 25, 2));
//! // Entry `i` of a list whose digests all have `len` bytes starts here:
//! let entry = |i: usize, len: usize| PKI_MIN_LEN + i * (ENTRY_OVERHEAD + len);
//! assert_eq!(entry(1, 32), 59);
//! ```

/// Where each field sits. Ranges for the fixed fields, offsets for where variable parts start.
mod field {
    use core::ops::Range;

    use crate::pid::Pid;
    use crate::uuid::Uuid;

    pub(super) const ADMIN_CREDENTIALS: Range<usize> = 0..2;
    pub(super) const VERSION: Range<usize> = ADMIN_CREDENTIALS.end..4;
    pub(super) const RETRY_COUNT: Range<usize> = VERSION.end..8;
    pub(super) const UUID: Range<usize> = RETRY_COUNT.end..RETRY_COUNT.end + Uuid::LEN;
    /// Version 2: the PID follows the header.
    pub(super) const PID: Range<usize> = UUID.end..UUID.end + Pid::LEN;
    /// Version 3: a one-byte count follows the header, then the entries.
    pub(super) const HASH_COUNT: usize = UUID.end;
    pub(super) const ENTRIES: usize = HASH_COUNT + 1;
}

/// Offset of the admin-credentials word (`u16` LE).
pub const ADMIN_CREDENTIALS_OFFSET: usize = field::ADMIN_CREDENTIALS.start;
/// Offset of the interface version (`u16` LE).
pub const VERSION_OFFSET: usize = field::VERSION.start;
/// Offset of the retry count (`u32` LE).
pub const RETRY_COUNT_OFFSET: usize = field::RETRY_COUNT.start;
/// Offset of the device UUID (16 bytes, SMBIOS order).
pub const UUID_OFFSET: usize = field::UUID.start;
/// Length of the common header; the PID or the hash count follows it.
pub const HEADER_LEN: usize = field::UUID.end;
/// Offset of a PSK Hello's PID.
pub const PID_OFFSET: usize = field::PID.start;
/// Length of a PSK Hello (version 2): header and an 8-byte PID.
pub const PSK_LEN: usize = field::PID.end;
/// Offset of a PKI Hello's one-byte hash count.
pub const HASH_COUNT_OFFSET: usize = field::HASH_COUNT;
/// Length of the shortest PKI Hello (version 3): header and a zero hash count. The entries
/// start here.
pub const PKI_MIN_LEN: usize = field::ENTRIES;
/// Bytes an entry takes besides its digest: the algorithm code and the length byte.
pub const ENTRY_OVERHEAD: usize = 2;
/// The longest PKI Hello whose `count` entries each carry `digest_len` bytes.
// Only evaluated in constants, where an overflow fails the build.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) const fn pki_len(count: usize, digest_len: usize) -> usize {
    PKI_MIN_LEN + count * (ENTRY_OVERHEAD + digest_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_contiguous_and_sized_for_their_types() {
        assert_eq!(field::ADMIN_CREDENTIALS.len(), size_of::<u16>());
        assert_eq!(field::VERSION.len(), size_of::<u16>());
        assert_eq!(field::RETRY_COUNT.len(), size_of::<u32>());
        assert_eq!(field::UUID.len(), size_of::<crate::uuid::Uuid>());
        assert_eq!(field::PID.len(), size_of::<crate::pid::Pid>());
        assert_eq!(ADMIN_CREDENTIALS_OFFSET, 0);
        assert_eq!((HEADER_LEN, PSK_LEN, PKI_MIN_LEN), (24, 32, 25));
        assert_eq!((crate::MAX_LEN, crate::MAX_STRICT_LEN), (65_560, 16_855));
        assert_eq!(pki_len(2, 20), 25 + 2 * 22);
    }
}
