// AmtHello.cs: the Intel AMT Setup-Mode Hello from C#, over amt-hello's C ABI (libamt_hello.so:
// `make -C ffi install PREFIX=…`, then LD_LIBRARY_PATH=PREFIX/lib or a directory the loader
// searches). One file: add it to a project, or `mcs -target:library AmtHello.cs`.
//
//     Hello hello = AmtHello.Parse(bytes);            // throws HelloDecodeException
//     Console.WriteLine(hello.Guid + " " + hello.CertHashes.Count);
//
// Written for C# 7 (Mono's mcs): byte[] rather than ReadOnlySpan<byte> (Mono's class library
// has no System.Memory), and sealed immutable classes rather than records.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Text;

namespace AmtHelloFfi
{
    /// <summary>One root-certificate hash of a PKI Hello.</summary>
    public sealed class CertHash
    {
        readonly byte[] digest;

        internal CertHash(byte code, string algorithm, byte[] digest)
        {
            Code = code;
            Algorithm = algorithm;
            this.digest = digest;
        }

        /// <summary>The algorithm's wire code (1 SHA-1, 2 SHA-256, 3 SHA-384 or SHA-512).</summary>
        public byte Code { get; }

        /// <summary>sha1, sha256, sha384, sha512, or unknown(CODE) (lenient only).</summary>
        public string Algorithm { get; }

        /// <summary>The digest's bytes (a copy).</summary>
        public byte[] Digest => (byte[])digest.Clone();

        /// <summary>The digest as lowercase hex.</summary>
        public string DigestHex => AmtHello.Hex(digest);
    }

    /// <summary>A parsed Hello, copied out of the C library: nothing in it points into C memory
    /// or into the bytes it was parsed from.</summary>
    public sealed class Hello
    {
        readonly byte[] uuid, pid;

        internal Hello(int len, ushort version, bool adminCredentialsSet, uint retryCount, byte[] uuid,
            string guid, byte[] pid, string pidText, IList<CertHash> certHashes)
        {
            Len = len;
            Version = version;
            AdminCredentialsSet = adminCredentialsSet;
            RetryCount = retryCount;
            this.uuid = uuid;
            Guid = guid;
            this.pid = pid;
            PidText = pidText;
            CertHashes = new ReadOnlyCollection<CertHash>(certHashes);
        }

        /// <summary>The message's length in bytes.</summary>
        public int Len { get; }

        /// <summary>2 (PSK, with a PID) or 3 (PKI, with certificate hashes).</summary>
        public ushort Version { get; }

        /// <summary>False when the BIOS is localized: the SCA must set new credentials.</summary>
        public bool AdminCredentialsSet { get; }

        /// <summary>0 to 14, or any value under the lenient policy.</summary>
        public uint RetryCount { get; }

        /// <summary>The UUID's 16 raw bytes in wire order (a copy).</summary>
        public byte[] Uuid => (byte[])uuid.Clone();

        /// <summary>The UUID's text, e.g. 33221100-5544-7766-8899-aabbccddeeff.</summary>
        public string Guid { get; }

        /// <summary>The PID's 8 bytes (PSK, a copy); null for PKI.</summary>
        public byte[] Pid => pid == null ? null : (byte[])pid.Clone();

        /// <summary>The PID as ABCD-1234 (odd bytes as \xNN); null for PKI.</summary>
        public string PidText { get; }

        /// <summary>The certificate hashes in the device's order (PKI); empty for PSK.</summary>
        public IReadOnlyList<CertHash> CertHashes { get; }

        /// <summary>The JSON object `amt-hello decode` prints for this Hello, byte for byte.</summary>
        public string ToJson()
        {
            var json = new StringBuilder();
            json.Append("{\"len\":").Append(Len)
                .Append(",\"version\":").Append(Version)
                .Append(",\"admin_credentials_set\":").Append(AdminCredentialsSet ? "true" : "false")
                .Append(",\"retry_count\":").Append(RetryCount)
                .Append(",\"uuid\":").Append(JsonString(Guid))
                .Append(",\"uuid_raw\":").Append(JsonString(AmtHello.Hex(uuid)))
                .Append(",\"pid\":").Append(PidText == null ? "null" : JsonString(PidText))
                .Append(",\"cert_hashes\":[");
            for (int i = 0; i < CertHashes.Count; i++)
            {
                json.Append(i == 0 ? "{\"algorithm\":" : ",{\"algorithm\":").Append(JsonString(CertHashes[i].Algorithm))
                    .Append(",\"digest\":").Append(JsonString(CertHashes[i].DigestHex)).Append('}');
            }
            return json.Append("]}").ToString();
        }

        // The library's texts are printable ASCII: only '"' and '\' need escapes.
        static string JsonString(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    /// <summary>Why bytes are not a Hello. Message is the Rust crate's (and `amt-hello decode`'s,
    /// after "error: ").</summary>
    public sealed class HelloDecodeException : Exception
    {
        readonly Native.Error error;

        internal HelloDecodeException(Native.Error error, string kind, string message) : base(message)
        {
            this.error = error;
            Kind = kind;
        }

        /// <summary>The snake_case kind: truncated, invalid_pid, trailing_bytes, …</summary>
        public string Kind { get; }

        /// <summary>The byte offset of the offending field.</summary>
        public long Offset => (long)error.offset;

        /// <summary>The value found there (truncated: the bytes present).</summary>
        public ulong Found => error.found;

        /// <summary>The length the message needs (truncated), where known; 0 otherwise.</summary>
        public long Needed => (long)error.needed;

        /// <summary>Whether Needed is exact (otherwise a lower bound).</summary>
        public bool NeededIsExact => error.needed_is_exact != 0;

        /// <summary>The algorithm code of a hash_length_mismatch.</summary>
        public byte Code => error.code;
    }

    /// <summary>One Hello a device sends in its Setup-Mode window.</summary>
    public sealed class Attempt
    {
        internal Attempt(int number, TimeSpan at, TimeSpan delay, uint retryCount, bool isLast)
        {
            Number = number;
            At = at;
            Delay = delay;
            RetryCount = retryCount;
            IsLast = isLast;
        }

        /// <summary>Counts from 0.</summary>
        public int Number { get; }

        /// <summary>The time since the window opened.</summary>
        public TimeSpan At { get; }

        /// <summary>The time since the previous attempt (zero for the first).</summary>
        public TimeSpan Delay { get; }

        /// <summary>What this attempt's Hello carries: min(Number, 14).</summary>
        public uint RetryCount { get; }

        /// <summary>Whether the window closes after it.</summary>
        public bool IsLast { get; }

        public override string ToString() =>
            string.Format("{0} at {1} (+{2}) retry {3}{4}", Number, At, Delay, RetryCount, IsLast ? " last" : "");
    }

    /// <summary>Parsing, framing and the retry schedule.</summary>
    public static class AmtHello
    {
        /// <summary>Parses bytes as one whole Hello. lenient accepts what the lenient policy does
        /// (retry counts above 14, odd PID bytes, unknown hash algorithms).</summary>
        /// <exception cref="HelloDecodeException">The bytes are not a Hello.</exception>
        public static Hello Parse(byte[] bytes, bool lenient = false)
        {
            int needed;
            return Decode(bytes, Count(bytes), lenient, false, out needed);
        }

        /// <summary>Looks for a whole Hello at the front of what a stream has delivered so far.
        /// A whole one: returns it (its first Len bytes; what follows is not part of it). A valid
        /// prefix of one: returns null, and needed is the length the message needs in all (at
        /// least; read more and call again).</summary>
        /// <exception cref="HelloDecodeException">The bytes can never become a Hello.</exception>
        public static Hello Frame(byte[] received, bool lenient, out int needed) =>
            Decode(received, Count(received), lenient, true, out needed);

        /// <summary>Frame over the first count bytes of a receive buffer.</summary>
        public static Hello Frame(byte[] buffer, int count, bool lenient, out int needed)
        {
            if (count < 0 || count > Count(buffer)) throw new ArgumentOutOfRangeException("count");
            return Decode(buffer, count, lenient, true, out needed);
        }

        static int Count(byte[] bytes)
        {
            if (bytes == null) throw new ArgumentNullException("bytes");
            return bytes.Length;
        }

        /// <summary>The default cadence over a window (every minute until 5 min, every 5 min
        /// until 60 min, then hourly).</summary>
        /// <exception cref="HelloDecodeException">out_of_range: a window over 255 hours.</exception>
        public static IEnumerable<Attempt> Schedule(TimeSpan window)
        {
            if (window < TimeSpan.Zero) throw new ArgumentOutOfRangeException("window");
            var schedule = new Native.Schedule();
            Check(Native.amt_hello_schedule_init(ref schedule, (ulong)window.TotalMilliseconds));
            return Attempts(schedule);
        }

        /// <summary>A device's first Setup-Mode window: 24 hours, 39 attempts.</summary>
        public static IEnumerable<Attempt> FirstWindow()
        {
            var schedule = new Native.Schedule();
            Check(Native.amt_hello_schedule_first_window(ref schedule));
            return Attempts(schedule);
        }

        /// <summary>A re-opened window: 6 hours, 21 attempts.</summary>
        public static IEnumerable<Attempt> ReopenedWindow()
        {
            var schedule = new Native.Schedule();
            Check(Native.amt_hello_schedule_reopened_window(ref schedule));
            return Attempts(schedule);
        }

        // Each enumeration walks its own copy of the started schedule.
        static IEnumerable<Attempt> Attempts(Native.Schedule start)
        {
            var schedule = start;
            var attempt = new Native.Attempt();
            while (Native.amt_hello_schedule_next(ref schedule, out attempt))
            {
                yield return new Attempt((int)attempt.number, TimeSpan.FromMilliseconds(attempt.at_ms),
                    TimeSpan.FromMilliseconds(attempt.delay_ms), attempt.retry_count, attempt.is_last != 0);
            }
        }

        internal static string Hex(byte[] bytes)
        {
            var hex = new StringBuilder(2 * bytes.Length);
            foreach (byte b in bytes) hex.Append(b.ToString("x2"));
            return hex.ToString();
        }

        static Hello Decode(byte[] bytes, int count, bool lenient, bool frame, out int needed)
        {
            needed = 0;
            var view = new Native.View();
            var error = new Native.Error();
            // SAFETY: the view the library fills holds a pointer to the bytes, which every later
            // call reads through; pinning keeps the GC from moving the array until everything has
            // been copied out of it, and the view does not outlive this method.
            GCHandle pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
            try
            {
                IntPtr at = pin.AddrOfPinnedObject();
                var len = (UIntPtr)count;
                uint status = frame
                    ? Native.amt_hello_frame(at, len, lenient, out view, out error)
                    : Native.amt_hello_parse(at, len, lenient, out view, out error);
                if (status == Native.StatusIncomplete)
                {
                    needed = (int)error.needed;
                    return null;
                }
                if (status != Native.StatusOk) throw Exception(error);
                Hello hello = Copy(ref view);
                needed = hello.Len;
                return hello;
            }
            finally
            {
                pin.Free();
            }
        }

        // Everything a valid view describes, copied into managed values.
        static Hello Copy(ref Native.View view)
        {
            var uuid = new byte[Native.UuidLen];
            Check(Native.amt_hello_uuid(ref view, uuid));
            string guid = Text(Native.UuidTextSize, (byte[] buf, UIntPtr size, out UIntPtr n) => Native.amt_hello_uuid_text(uuid, buf, size, out n));
            byte[] pid = null;
            string pidText = null;
            if (view.version == 2)
            {
                pid = new byte[Native.PidLen];
                Check(Native.amt_hello_pid(ref view, pid));
                pidText = Text(Native.PidTextSize, (byte[] buf, UIntPtr size, out UIntPtr n) => Native.amt_hello_pid_text(pid, buf, size, out n));
            }
            var hashes = new List<CertHash>(view.hash_count);
            Native.HashIter iter;
            Check(Native.amt_hello_hashes(ref view, out iter));
            Native.CertHash hash;
            while (Native.amt_hello_hashes_next(ref iter, out hash))
            {
                // SAFETY: hash.digest points to hash.len bytes inside the pinned message (the
                // library checked them when it parsed), copied out before Decode unpins it.
                var digest = new byte[hash.len];
                Marshal.Copy(hash.digest, digest, 0, hash.len);
                byte code = hash.code, len = hash.len;
                string name = Text(16, (byte[] buf, UIntPtr size, out UIntPtr n) => Native.amt_hello_algorithm_name(code, len, buf, size, out n));
                hashes.Add(new CertHash(code, name, digest));
            }
            return new Hello((int)view.len, view.version, view.admin_credentials_set != 0, view.retry_count, uuid, guid,
                pid, pidText, hashes);
        }

        delegate uint TextCall(byte[] buf, UIntPtr size, out UIntPtr len);

        // One of the library's text functions into a buffer of size bytes, and once more with
        // the size it asks for if that is short; "" if the call fails.
        static string Text(int size, TextCall call)
        {
            while (true)
            {
                var buf = new byte[size];
                UIntPtr n;
                uint status = call(buf, (UIntPtr)size, out n);
                if (status == Native.StatusOk) return Encoding.UTF8.GetString(buf, 0, (int)n);
                if (status != Native.StatusBufferTooSmall || (int)n < size) return "";
                size = (int)n + 1;
            }
        }

        static HelloDecodeException Exception(Native.Error error)
        {
            string message = Text(Native.MessageSize, (byte[] buf, UIntPtr size, out UIntPtr n) => Native.amt_hello_error_message(ref error, buf, size, out n));
            return new HelloDecodeException(error, StatusName(error.kind), message);
        }

        // SAFETY: the name is a static NUL-terminated string of the library's (or NULL, which
        // gives null), read once and copied.
        internal static string StatusName(uint status) => Marshal.PtrToStringAnsi(Native.amt_hello_status_name(status));

        // A call on valid arguments that failed all the same.
        static void Check(uint status)
        {
            if (status == Native.StatusOk) return;
            var error = new Native.Error { kind = status };
            throw Exception(error);
        }
    }

    /// <summary>The C ABI as amt_hello.h declares it. Tests.cs holds every struct and constant
    /// here against ffi/c/layout.c compiled with the header: the fields keep the header's
    /// names, bools are bytes (C's bool is one byte; the marshaller's default is four).</summary>
    internal static class Native
    {
        const string Lib = "amt_hello";

        // The header's constants and status codes this file uses.
        internal const int MessageSize = 160;   // AMT_HELLO_MESSAGE_SIZE
        internal const int UuidTextSize = 37;   // AMT_HELLO_UUID_TEXT_SIZE
        internal const int PidTextSize = 34;    // AMT_HELLO_PID_TEXT_SIZE
        internal const int UuidLen = 16;        // AmtHelloMessage.uuid's size
        internal const int PidLen = 8;          // AmtHelloMessage.pid's size
        internal const uint StatusOk = 0;       // AMT_HELLO_STATUS_OK
        internal const uint StatusIncomplete = 1;       // AMT_HELLO_STATUS_INCOMPLETE
        internal const uint StatusBufferTooSmall = 11;  // AMT_HELLO_STATUS_BUFFER_TOO_SMALL

        [StructLayout(LayoutKind.Sequential)]
        internal struct View
        {
            public IntPtr bytes;
            public UIntPtr len;
            public ushort version;
            public byte admin_credentials_set;
            public uint retry_count;
            public byte hash_count;
            public byte uniform_digest_len;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Error
        {
            public uint kind;
            public UIntPtr offset;
            public ulong found;
            public UIntPtr needed;
            public byte needed_is_exact;
            public byte code;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct HashIter
        {
            public IntPtr bytes;
            public UIntPtr len;
            public UIntPtr offset;
            public UIntPtr remaining;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct CertHash
        {
            public byte code;
            public byte len;
            public IntPtr digest;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Schedule
        {
            public ulong window_ms;
            public uint next;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Attempt
        {
            public uint number;
            public ulong at_ms;
            public ulong delay_ms;
            public uint retry_count;
            public byte is_last;
        }

        // The C name of each struct above, for the layout test.
        internal static readonly Dictionary<Type, string> CNames = new Dictionary<Type, string>
        {
            { typeof(View), "AmtHelloView" }, { typeof(Error), "AmtHelloError" },
            { typeof(HashIter), "AmtHelloHashIter" }, { typeof(CertHash), "AmtHelloCertHash" },
            { typeof(Schedule), "AmtHelloSchedule" }, { typeof(Attempt), "AmtHelloAttempt" },
        };

        [DllImport(Lib)]
        internal static extern uint amt_hello_parse(IntPtr bytes, UIntPtr len, [MarshalAs(UnmanagedType.U1)] bool lenient,
            out View view, out Error error);

        [DllImport(Lib)]
        internal static extern uint amt_hello_frame(IntPtr bytes, UIntPtr len, [MarshalAs(UnmanagedType.U1)] bool lenient,
            out View view, out Error error);

        [DllImport(Lib)]
        internal static extern uint amt_hello_uuid(ref View view, [Out] byte[] uuid);

        [DllImport(Lib)]
        internal static extern uint amt_hello_pid(ref View view, [Out] byte[] pid);

        [DllImport(Lib)]
        internal static extern uint amt_hello_hashes(ref View view, out HashIter iter);

        [DllImport(Lib)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool amt_hello_hashes_next(ref HashIter iter, out CertHash hash);

        [DllImport(Lib)]
        internal static extern uint amt_hello_uuid_text(byte[] uuid, [Out] byte[] text, UIntPtr size, out UIntPtr len);

        [DllImport(Lib)]
        internal static extern uint amt_hello_pid_text(byte[] pid, [Out] byte[] text, UIntPtr size, out UIntPtr len);

        [DllImport(Lib)]
        internal static extern uint amt_hello_algorithm_name(byte code, byte digestLen, [Out] byte[] text, UIntPtr size,
            out UIntPtr len);

        [DllImport(Lib)]
        internal static extern uint amt_hello_error_message(ref Error error, [Out] byte[] text, UIntPtr size, out UIntPtr len);

        [DllImport(Lib)]
        internal static extern IntPtr amt_hello_status_name(uint status);

        [DllImport(Lib)]
        internal static extern uint amt_hello_schedule_init(ref Schedule schedule, ulong windowMs);

        [DllImport(Lib)]
        internal static extern uint amt_hello_schedule_first_window(ref Schedule schedule);

        [DllImport(Lib)]
        internal static extern uint amt_hello_schedule_reopened_window(ref Schedule schedule);

        [DllImport(Lib)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool amt_hello_schedule_next(ref Schedule schedule, out Attempt attempt);
    }
}
