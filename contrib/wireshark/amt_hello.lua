-- Wireshark dissector for the Intel AMT Setup-Mode "Hello" message (TCP 9971 by default).
--
-- Wire format: amt-hello's spec (little-endian throughout):
--   0  u16 admin-credentials word (0 = localized BIOS, 1 = credentials set)
--   2  u16 interface version (2 = PSK, 3 = PKI)
--   4  u32 retry count (0-14)
--   8  16 bytes device UUID (SMBIOS order; shown as a mixed-endian GUID)
--   v2: 24 8-byte PID (A-Z, 0-9); 32 bytes in all
--   v3: 24 u8 hash count N, then N entries {u8 algorithm, u8 length, digest}
-- One Hello per connection: bytes after it are "trailing bytes". Expert items use the wording
-- of the amt-hello library's errors; `amthello.error` holds a Hello's first one (the library's
-- error), or says the stream ended before the Hello did; trailing bytes are `amthello.trailing`.
--
-- Fields live under amthello.* (Wireshark's own "amt" dissector is RFC 7450 multicast).
-- Licence: MIT OR Apache-2.0, like the amt-hello crate. Wireshark 3.6+ / 4.x.

local amthello = Proto("amthello", "Intel AMT Setup-Mode Hello")

local HEADER_LEN, PSK_LEN, PKI_MIN_LEN, ENTRY_OVERHEAD = 24, 32, 25, 2
local MAX_RETRY_COUNT = 14

local credential_names = {
    [0] = "localized BIOS: new admin credentials must be set",
    [1] = "admin credentials set",
}
local version_names = { [2] = "PSK", [3] = "PKI" }
local algorithm_names = { [1] = "SHA-1", [2] = "SHA-256", [3] = "SHA-384 (48) or SHA-512 (64)" }
-- (code, digest length) pairs the library accepts, and their names.
local algorithm_lengths = { [1] = { 20 }, [2] = { 32 }, [3] = { 48, 64 } }
local algorithm_by_pair = {
    ["1/20"] = "SHA-1", ["2/32"] = "SHA-256", ["3/48"] = "SHA-384", ["3/64"] = "SHA-512",
}

local f = amthello.fields
f.admin_credentials = ProtoField.uint16("amthello.admin_credentials", "Admin credentials",
    base.DEC, credential_names)
f.version = ProtoField.uint16("amthello.version", "Interface version", base.DEC, version_names)
f.retry_count = ProtoField.uint32("amthello.retry_count", "Retry count", base.DEC)
f.uuid = ProtoField.guid("amthello.uuid", "Device UUID")
f.pid = ProtoField.string("amthello.pid", "PID")
f.hash_count = ProtoField.uint8("amthello.hash_count", "Hash count", base.DEC)
f.hash = ProtoField.none("amthello.hash", "Certificate hash")
f.hash_algorithm = ProtoField.uint8("amthello.hash.algorithm", "Algorithm", base.DEC,
    algorithm_names)
f.hash_length = ProtoField.uint8("amthello.hash.length", "Digest length", base.DEC)
f.hash_digest = ProtoField.bytes("amthello.hash.digest", "Digest")
f.trailing = ProtoField.bytes("amthello.trailing", "Trailing bytes")
f.error = ProtoField.string("amthello.error", "Error")

local e = amthello.experts
e.truncated = ProtoExpert.new("amthello.truncated", "Truncated Hello",
    expert.group.MALFORMED, expert.severity.ERROR)
e.trailing = ProtoExpert.new("amthello.trailing_bytes", "Trailing bytes after the Hello",
    expert.group.PROTOCOL, expert.severity.ERROR)
e.credentials = ProtoExpert.new("amthello.invalid_admin_credentials",
    "Invalid admin-credentials word", expert.group.MALFORMED, expert.severity.ERROR)
e.version = ProtoExpert.new("amthello.unsupported_version", "Unsupported interface version",
    expert.group.MALFORMED, expert.severity.ERROR)
e.retry = ProtoExpert.new("amthello.retry_count_out_of_range", "Retry count out of range",
    expert.group.PROTOCOL, expert.severity.ERROR)
e.pid = ProtoExpert.new("amthello.invalid_pid", "Invalid PID byte",
    expert.group.MALFORMED, expert.severity.ERROR)
e.algorithm = ProtoExpert.new("amthello.unknown_hash_algorithm", "Unknown hash algorithm",
    expert.group.PROTOCOL, expert.severity.ERROR)
e.length = ProtoExpert.new("amthello.hash_length_mismatch", "Hash length mismatch",
    expert.group.MALFORMED, expert.severity.ERROR)
e.localized = ProtoExpert.new("amthello.localized_bios",
    "Localized BIOS: new admin credentials must be set", expert.group.SEQUENCE,
    expert.severity.NOTE)

e.midstream = ProtoExpert.new("amthello.start_missing",
    "The stream began before the capture: its first bytes are not in it, so no Hello is decoded",
    expert.group.SEQUENCE, expert.severity.WARN)

e.lost = ProtoExpert.new("amthello.lost",
    "The capture lost bytes of this stream: nothing across them is decoded",
    expert.group.SEQUENCE, expert.severity.WARN)

amthello.prefs.port = Pref.uint("TCP port", 9971, "The TCP port the SCA listens on")

local tcp_stream = Field.new("tcp.stream")
local tcp_syn = Field.new("tcp.flags.syn")
local tcp_lost = Field.new("tcp.analysis.lost_segment")
local tcp_fin = Field.new("tcp.flags.fin")
local tcp_rst = Field.new("tcp.flags.reset")

-- Per-capture state, filled on the first pass (frames in order) and read on later passes.
local hello_done -- stream -> true once its Hello (or what stood in its place) was dissected
local roles -- frame number -> list of PDU roles in dissection order ("hello" / "trailing")
local calls -- frame number -> PDUs dissected so far on later passes
local pending -- stream -> { needed = "at least N bytes" } while its Hello is incomplete
local truncated_at -- frame number (the FIN or RST) -> message, or e.lost (a gap in the Hello)
local syn_seen -- stream -> true once the client's SYN was in the capture
local midstream -- stream -> the expert item, when the capture lacks bytes a Hello needs

local function reset()
    hello_done, roles, calls, pending, truncated_at = {}, {}, {}, {}, {}
    syn_seen, midstream = {}, {}
end
reset()
amthello.init = reset

-- The TCP stream index; without a protocol tree (tshark -2's first pass) field values are
-- missing, and the client's address and port stand in (wrong only for a reused 4-tuple).
local function stream_of(pinfo)
    local s = tcp_stream()
    if s then return s.value end
    return tostring(pinfo.src) .. ":" .. pinfo.src_port .. ">" .. tostring(pinfo.dst) .. ":" ..
        pinfo.dst_port
end

-- Whether the PDU dissected now is the stream's Hello or bytes after it. On the first pass the
-- stream's first PDU is the Hello; later passes replay the roles recorded per frame.
local function role_of(pinfo, peek)
    local frame = pinfo.number
    if not pinfo.visited then
        local stream = stream_of(pinfo)
        local role = midstream[stream] and "midstream" or hello_done[stream] and "trailing" or
            "hello"
        if not peek then
            hello_done[stream] = true
            roles[frame] = roles[frame] or {}
            table.insert(roles[frame], role)
        end
        return role
    end
    local list = roles[frame]
    if not list then return "hello" end
    local n = calls[frame] or 0
    if not peek then calls[frame] = n + 1 end
    return list[(n % #list) + 1]
end

-- The Hello's total length from the bytes at `offset`: more than available asks TCP for that
-- many, 0 for one more segment (the length is not known yet: returning a guess that later grows
-- loses the Hello on a second pass). Trailing bytes and a Hello of unknown version take what
-- is there.
-- Whether a stream whose SYN the capture lacks starts here with something that is not a Hello
-- (like the library's "began before the capture"). Unknown without TCP fields: assume not.
local function began_before(tvb, pinfo, offset)
    if pinfo.visited or not tcp_stream() or syn_seen[stream_of(pinfo)] then return false end
    if tvb:reported_length_remaining(offset) < 4 then return false end
    local credentials, version = tvb(offset, 2):le_uint(), tvb(offset + 2, 2):le_uint()
    return credentials > 1 or (version ~= 2 and version ~= 3)
end

-- Whether TCP says the capture lost bytes before this segment (without out-of-order
-- reassembly, the segment after a gap would otherwise be read as a Hello's start).
local function after_a_loss(pinfo)
    return not pinfo.visited and tcp_lost() ~= nil
end

local function hello_len(tvb, pinfo, offset)
    local avail = tvb:reported_length_remaining(offset)
    local length, at_least -- the exact length, or the least the prefix allows
    local role = role_of(pinfo, true)
    if role == "hello" and began_before(tvb, pinfo, offset) then
        midstream[stream_of(pinfo)] = e.midstream
        role = "midstream"
    elseif role == "hello" and after_a_loss(pinfo) then
        midstream[stream_of(pinfo)] = e.lost
        role = "midstream"
    end
    if role ~= "hello" then
        length = avail
    elseif avail < 4 then
        at_least = HEADER_LEN
    else
        local version = tvb(offset + 2, 2):le_uint()
        if version == 2 then
            length = PSK_LEN
        elseif version ~= 3 then
            length = avail
        elseif avail < PKI_MIN_LEN then
            at_least = PKI_MIN_LEN
        else
            length = PKI_MIN_LEN
            for _ = 1, tvb(offset + HEADER_LEN, 1):uint() do
                if avail < length + ENTRY_OVERHEAD then
                    at_least, length = length + ENTRY_OVERHEAD, nil
                    break
                end
                length = length + ENTRY_OVERHEAD + tvb(offset + length + 1, 1):uint()
            end
        end
    end
    if not pinfo.visited then
        if length and length <= avail then
            pending[stream_of(pinfo)] = nil
        else
            local needed = length and "exactly " .. length or "at least " .. at_least
            pending[stream_of(pinfo)] = { needed = needed .. " bytes" }
        end
    end
    if not length and pinfo.can_desegment == 0 then
        return avail -- TCP reassembly is off: show what is there (it is flagged truncated)
    end
    return length or 0
end

local function add_error(state, item, which, message)
    item:add_proto_expert_info(which, message)
    if not state.first then state.first = message end
end

local function dissect_trailing(tvb, pinfo, tree)
    local item = tree:add(amthello, tvb(), "AMT Hello: trailing bytes")
    item:add(f.trailing, tvb())
    local message = string.format("%d trailing byte(s) after the end of the Hello", tvb:len())
    item:add_proto_expert_info(e.trailing, message)
    pinfo.cols.info:append(" [trailing bytes]")
    return tvb:len()
end

local function dissect_midstream(tvb, pinfo, tree)
    local item = tree:add(amthello, tvb(), "AMT Hello: bytes the capture does not hold")
    local which = midstream[stream_of(pinfo)] or e.midstream
    item:add_proto_expert_info(which)
    pinfo.cols.info:append(which == e.lost and " [after lost bytes]" or " [began before the capture]")
    return tvb:len()
end

local function dissect_hello(tvb, pinfo, tree)
    local role = role_of(pinfo, false)
    if role == "trailing" then return dissect_trailing(tvb, pinfo, tree) end
    if role == "midstream" then return dissect_midstream(tvb, pinfo, tree) end
    local len = tvb:len()
    local root = tree:add(amthello, tvb())
    local state = {}
    if len < 4 then
        add_error(state, root, e.truncated, string.format(
            "truncated Hello: the field at byte 0 is incomplete; the message needs at least %d bytes, %d present",
            HEADER_LEN, len))
        root:add(f.error, state.first):set_generated()
        return len
    end
    local credentials = tvb(0, 2):le_uint()
    local credentials_item = root:add_le(f.admin_credentials, tvb(0, 2))
    if credentials == 0 then
        credentials_item:add_proto_expert_info(e.localized)
    elseif credentials ~= 1 then
        add_error(state, credentials_item, e.credentials, string.format(
            "invalid admin-credentials word 0x%04x at byte 0 (expected 0x0000 or 0x0001)", credentials))
    end
    local version = tvb(2, 2):le_uint()
    local version_item = root:add_le(f.version, tvb(2, 2))
    if version ~= 2 and version ~= 3 then
        add_error(state, version_item, e.version, string.format(
            "unsupported interface version %d at byte 2 (expected 2 or 3)", version))
    end
    local kind = version_names[version] or "unknown"
    if len < HEADER_LEN then
        add_error(state, root, e.truncated, string.format(
            "truncated Hello: the field at byte %d is incomplete; the message needs at least %d bytes, %d present",
            len < 8 and 4 or 8, HEADER_LEN, len))
    else
        local retry = tvb(4, 4):le_uint()
        local retry_item = root:add_le(f.retry_count, tvb(4, 4))
        if retry > MAX_RETRY_COUNT then
            add_error(state, retry_item, e.retry, string.format(
                "retry count %d at byte 4 is out of range (at most %d)", retry, MAX_RETRY_COUNT))
        end
        root:add_le(f.uuid, tvb(8, 16))
        local summary = string.format("%s Hello, retry %d", kind, retry)
        if version == 2 then
            local pid_item = root:add(f.pid, tvb(HEADER_LEN, math.min(8, len - HEADER_LEN)))
            for i = HEADER_LEN, math.min(PSK_LEN, len) - 1 do
                local b = tvb(i, 1):uint()
                if not ((b >= 0x41 and b <= 0x5a) or (b >= 0x30 and b <= 0x39)) then
                    add_error(state, pid_item, e.pid, string.format(
                        "invalid PID byte 0x%02x at byte %d (expected A-Z or 0-9)", b, i))
                    break
                end
            end
            if len < PSK_LEN then
                add_error(state, root, e.truncated, string.format(
                    "truncated Hello: the field at byte %d is incomplete; the message needs exactly %d bytes, %d present",
                    HEADER_LEN, PSK_LEN, len))
            end
        elseif version == 3 then
            summary = summary .. string.format(", %d hash(es)", tvb(HEADER_LEN, 1):uint())
            root:add(f.hash_count, tvb(HEADER_LEN, 1))
            local at = PKI_MIN_LEN
            for i = 1, tvb(HEADER_LEN, 1):uint() do
                if len < at + ENTRY_OVERHEAD then
                    add_error(state, root, e.truncated, string.format(
                        "truncated Hello: the field at byte %d is incomplete; the message needs at least %d bytes, %d present",
                        len < at + 1 and at or at + 1, at + ENTRY_OVERHEAD, len))
                    break
                end
                local code, dlen = tvb(at, 1):uint(), tvb(at + 1, 1):uint()
                local name = algorithm_by_pair[code .. "/" .. dlen] or "invalid"
                local entry = root:add(f.hash, tvb(at, math.min(ENTRY_OVERHEAD + dlen, len - at)))
                entry:set_text(string.format("Certificate hash %d: %s", i, name))
                local code_item = entry:add(f.hash_algorithm, tvb(at, 1))
                local length_item = entry:add(f.hash_length, tvb(at + 1, 1))
                if not algorithm_lengths[code] then
                    add_error(state, code_item, e.algorithm, string.format(
                        "unknown hash algorithm code %d at byte %d", code, at))
                elseif not algorithm_by_pair[code .. "/" .. dlen] then
                    add_error(state, length_item, e.length, string.format(
                        "hash length %d at byte %d does not match algorithm code %d (expected %s)",
                        dlen, at + 1, code, table.concat(algorithm_lengths[code], " or ")))
                end
                if len < at + ENTRY_OVERHEAD + dlen then
                    add_error(state, entry, e.truncated, string.format(
                        "truncated Hello: the field at byte %d is incomplete; the message needs at least %d bytes, %d present",
                        at + ENTRY_OVERHEAD, at + ENTRY_OVERHEAD + dlen, len))
                    break
                end
                if dlen > 0 then entry:add(f.hash_digest, tvb(at + ENTRY_OVERHEAD, dlen)) end
                at = at + ENTRY_OVERHEAD + dlen
            end
        end
        pinfo.cols.info:append(" [" .. summary .. "]")
    end
    root:append_text(string.format(", %s, %d bytes", kind, len))
    if state.first then
        root:add(f.error, state.first):set_generated()
        pinfo.cols.info:append(" [invalid]")
    end
    return len
end

function amthello.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "AMT Hello"
    dissect_tcp_pdus(tvb, tree, 1, hello_len, dissect_hello, true)
    return tvb:len()
end

-- A stream that ends (FIN or RST) while a Hello is incomplete: the library's "truncated".
local ending = Proto("amthello_end", "AMT Hello stream end")
function ending.dissector(tvb, pinfo, tree)
    local frame = pinfo.number
    if not pinfo.visited then
        local stream = stream_of(pinfo)
        local syn = tcp_syn()
        if syn and syn.value then syn_seen[stream] = true end
        local p = pending[stream]
        if p and tcp_lost() then
            -- Out-of-order reassembly waits for the lost bytes, which never come.
            truncated_at[frame] = e.lost
            pending[stream], midstream[stream] = nil, e.lost
        elseif p then
            local fin, rst = tcp_fin(), tcp_rst()
            if (fin and fin.value) or (rst and rst.value) then
                truncated_at[frame] = string.format(
                    "truncated Hello: the stream ends before the Hello does; the message needs %s",
                    p.needed)
                pending[stream] = nil
            end
        end
    end
    local message = truncated_at[frame]
    if message == e.lost then
        tree:add(amthello, tvb(0, 0), "AMT Hello: bytes the capture does not hold")
            :add_proto_expert_info(e.lost)
    elseif message then
        local item = tree:add(amthello, tvb(0, 0), "AMT Hello: stream ended")
        item:add_proto_expert_info(e.truncated, message)
        item:add(f.error, message):set_generated()
    end
end
-- All fields: Wireshark then builds a tree while loading a file, so the stream index and the TCP
-- flags can be read (tshark -2's first pass without a display filter still has none).
register_postdissector(ending, true)

local registered
local function register_port()
    local tcp = DissectorTable.get("tcp.port")
    if registered then tcp:remove(registered, amthello) end
    registered = amthello.prefs.port
    tcp:add(registered, amthello)
end
amthello.prefs_changed = register_port
register_port()
