//! The baseline: the decoder a hurried user would write with std. Owned `Vec`s for every
//! digest, `from_le_bytes` on slices, no zero-copy, the same validation. It lives here only so
//! each benchmark group can report the crate's ratio against it in the same run.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, dead_code)]

pub struct NaiveHello {
    pub credentials: u16,
    pub version: u16,
    pub retry_count: u32,
    pub uuid: Vec<u8>,
    pub pid: Option<String>,
    pub hashes: Vec<(u8, Vec<u8>)>,
}

pub fn decode(b: &[u8]) -> Result<NaiveHello, String> {
    if b.len() < 24 {
        return Err(format!("truncated: {} bytes", b.len()));
    }
    let credentials = u16::from_le_bytes(b[0..2].try_into().unwrap());
    let version = u16::from_le_bytes(b[2..4].try_into().unwrap());
    let retry_count = u32::from_le_bytes(b[4..8].try_into().unwrap());
    if credentials > 1 || !(2..=3).contains(&version) || retry_count > 14 {
        return Err("bad header".to_string());
    }
    let uuid = b[8..24].to_vec();
    let mut hello = NaiveHello {
        credentials,
        version,
        retry_count,
        uuid,
        pid: None,
        hashes: Vec::new(),
    };
    if version == 2 {
        if b.len() != 32 {
            return Err("bad PSK length".to_string());
        }
        let pid = String::from_utf8(b[24..32].to_vec()).map_err(|e| e.to_string())?;
        if !pid
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err("bad PID".to_string());
        }
        hello.pid = Some(pid);
        return Ok(hello);
    }
    let count = *b.get(24).ok_or("truncated")?;
    let mut at = 25;
    for _ in 0..count {
        let code = *b.get(at).ok_or("truncated")?;
        let len = *b.get(at + 1).ok_or("truncated")? as usize;
        let ok = matches!((code, len), (1, 20) | (2, 32) | (3, 48) | (3, 64));
        if !ok {
            return Err(format!("bad hash entry at {at}"));
        }
        let digest = b.get(at + 2..at + 2 + len).ok_or("truncated")?.to_vec();
        hello.hashes.push((code, digest));
        at += 2 + len;
    }
    if at != b.len() {
        return Err("trailing bytes".to_string());
    }
    Ok(hello)
}

pub fn encode(h: &NaiveHello) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&h.credentials.to_le_bytes());
    out.extend_from_slice(&h.version.to_le_bytes());
    out.extend_from_slice(&h.retry_count.to_le_bytes());
    out.extend_from_slice(&h.uuid);
    if let Some(pid) = &h.pid {
        out.extend_from_slice(pid.as_bytes());
    } else {
        out.push(h.hashes.len() as u8);
        for (code, digest) in &h.hashes {
            out.push(*code);
            out.push(digest.len() as u8);
            out.extend_from_slice(digest);
        }
    }
    out
}

/// Naive stream handling: append each segment to a Vec and retry a full decode until it works.
pub fn frame_by_retrying(chunks: &[&[u8]]) -> Option<NaiveHello> {
    let mut buf = Vec::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        if let Ok(hello) = decode(&buf) {
            return Some(hello);
        }
    }
    None
}

/// Naive text: one `format!` per byte.
pub fn uuid_text(raw: &[u8]) -> String {
    let order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    let mut s = String::new();
    for (i, &k) in order.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s += &format!("{:02x}", raw[k]);
    }
    s
}

pub fn hex_text(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
