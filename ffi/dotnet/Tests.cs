// Tests.cs: the C# binding's tests, plain checks with a count (Mono ships no test framework).
//
//     mono tests.exe VECTORS.tsv LAYOUT.txt
//
// VECTORS.tsv is tests/data/hello-vectors.json and the real captures as ci.sh writes them, one
// per line: `valid NAME HEX EXPECTED-JSON` or `invalid NAME HEX KIND OFFSET NEEDED LENIENT`,
// tab-separated (Mono's class library has no JSON reader). LAYOUT.txt is what ffi/c/layout.c,
// compiled with the header, prints: every struct and constant AmtHello.cs declares is held
// against it. Build: mcs -out:tests.exe Tests.cs AmtHello.cs
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using AmtHelloFfi;

static class Tests
{
    static int passed, failed;

    static void Check(bool ok, string what)
    {
        if (ok) passed++;
        else
        {
            failed++;
            Console.WriteLine("FAIL: " + what);
        }
    }

    static void Equal<T>(T got, T want, string what) =>
        Check(EqualityComparer<T>.Default.Equals(got, want), what + ": got " + got + ", want " + want);

    static byte[] FromHex(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
        return bytes;
    }

    static HelloDecodeException Throws(Action action)
    {
        try
        {
            action();
        }
        catch (HelloDecodeException e)
        {
            return e;
        }
        return null;
    }

    static void Valid(string name, byte[] bytes, string expected)
    {
        foreach (bool lenient in new[] { false, true })
        {
            Hello hello = AmtHello.Parse(bytes, lenient);
            string json = hello.ToJson();
            Equal(json, expected, name + " (lenient " + lenient + ")");
            Equal(hello.Len, bytes.Length, name + ": Len");
            Equal(hello.Pid != null, hello.Version == 2, name + ": a PID exactly for PSK");
            // A copy: changing the input or what the Hello hands out changes nothing in it.
            var changed = (byte[])bytes.Clone();
            for (int i = 0; i < changed.Length; i++) changed[i] ^= 0xff;
            hello = AmtHello.Parse(bytes, lenient);
            Array.Copy(changed, bytes, bytes.Length);
            hello.Uuid[0] ^= 0xff;
            if (hello.CertHashes.Count > 0) hello.CertHashes[0].Digest[0] ^= 0xff;
            Equal(hello.ToJson(), expected, name + ": the Hello changed with its input");
            for (int i = 0; i < changed.Length; i++) bytes[i] = (byte)(changed[i] ^ 0xff);
        }
        // Frame: every prefix is incomplete, and bytes after a Hello are not part of it.
        for (int n = 0; n < bytes.Length; n++)
        {
            int needed;
            Hello partial = AmtHello.Frame(bytes.Take(n).ToArray(), false, out needed);
            if (partial != null || needed <= n || needed > bytes.Length)
            {
                Check(false, name + ": Frame of a " + n + "-byte prefix: needed " + needed);
                break;
            }
            if (n == bytes.Length - 1) Check(true, name + ": every prefix is incomplete");
        }
        int total;
        Hello framed = AmtHello.Frame(bytes.Concat(new byte[] { 0xaa, 0xbb }).ToArray(), false, out total);
        Check(framed != null && framed.Len == bytes.Length && total == bytes.Length, name + ": Frame with 2 more bytes");
        var buffer = new byte[bytes.Length + 100];
        Array.Copy(bytes, buffer, bytes.Length);
        framed = AmtHello.Frame(buffer, bytes.Length - 1, false, out total);
        Check(framed == null && total >= bytes.Length - 1 && total <= bytes.Length, name + ": Frame over a buffer's first count - 1 bytes");
        framed = AmtHello.Frame(buffer, bytes.Length, false, out total);
        Check(framed != null && framed.Len == bytes.Length, name + ": Frame over a buffer's first count bytes");
    }

    static void Invalid(string name, byte[] bytes, string kind, long offset, long needed, bool lenientOk)
    {
        HelloDecodeException e = Throws(() => AmtHello.Parse(bytes));
        Check(e != null, name + ": throws");
        if (e == null) return;
        Equal(e.Kind, kind, name + ": Kind");
        Equal(e.Offset, offset, name + ": Offset");
        if (needed != 0) Equal(e.Needed, needed, name + ": Needed");
        Check(Regex.IsMatch(e.Message, "byte " + offset + "\\b"), name + ": the message names byte " + offset + ": " + e.Message);
        HelloDecodeException lenient = Throws(() => AmtHello.Parse(bytes, true));
        Check(lenientOk ? lenient == null : lenient != null && lenient.Kind == kind, name + ": lenient " + (lenientOk ? "ok" : "error"));
    }

    static void Schedule()
    {
        var windows = new[]
        {
            Tuple.Create("first", AmtHello.FirstWindow().ToList(), 39, TimeSpan.FromHours(24)),
            Tuple.Create("reopened", AmtHello.ReopenedWindow().ToList(), 21, TimeSpan.FromHours(6)),
        };
        foreach (var w in windows)
        {
            List<Attempt> attempts = w.Item2;
            Equal(attempts.Count, w.Item3, w.Item1 + " window: attempts");
            Equal(string.Join(";", AmtHello.Schedule(w.Item4)), string.Join(";", attempts), w.Item1 + ": Schedule(" + w.Item4 + ")");
            TimeSpan at = TimeSpan.Zero;
            bool ok = true;
            for (int i = 0; i < attempts.Count; i++)
            {
                Attempt a = attempts[i];
                at += a.Delay;
                ok &= a.Number == i && a.At == at && a.At < w.Item4 && a.RetryCount == Math.Min(i, 14) && a.IsLast == (i == attempts.Count - 1);
            }
            Check(ok, w.Item1 + ": numbers, times, retry counts and the last attempt");
        }
        IEnumerable<Attempt> first = AmtHello.FirstWindow();
        Equal(first.Count(), first.Count(), "an enumeration walks its own copy");
        Equal(first.ElementAt(1).Delay, TimeSpan.FromMinutes(1), "every minute at first");
        Equal(first.Last().Delay, TimeSpan.FromHours(1), "hourly at last");
        Equal(AmtHello.Schedule(TimeSpan.Zero).Count(), 0, "an empty window");
        try
        {
            AmtHello.Schedule(TimeSpan.FromMinutes(-1));
            Check(false, "a negative window is refused");
        }
        catch (ArgumentOutOfRangeException)
        {
            Check(true, "a negative window is refused");
        }
        HelloDecodeException e = Throws(() => AmtHello.Schedule(TimeSpan.FromHours(256)));
        Check(e != null && e.Kind == "out_of_range", "a window over 255 hours");
    }

    static void Layout(string path)
    {
        var c = new Dictionary<string, string>();
        foreach (string line in File.ReadAllLines(path))
        {
            int space = line.IndexOf(' ');
            if (space > 0) c[line.Substring(0, space)] = line.Substring(space + 1);
        }
        Check(c.Count > 50, "the layout helper's output has its lines");
        foreach (var entry in Native.CNames)
        {
            Type type = entry.Key;
            string name = entry.Value;
            Equal(Marshal.SizeOf(type).ToString(), Get(c, name + ".size"), name + ".size");
            var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
            foreach (FieldInfo f in fields)
            {
                string mine = Marshal.OffsetOf(type, f.Name) + " " + Marshal.SizeOf(f.FieldType);
                Equal(mine, Get(c, name + "." + f.Name), name + "." + f.Name + " (offset size)");
            }
            // Both ways: a field of the header's that the C# struct lacks.
            foreach (string key in c.Keys.Where(k => k.StartsWith(name + ".", StringComparison.Ordinal) && k != name + ".size"))
                Check(fields.Any(f => name + "." + f.Name == key), key + " is in the header but not in AmtHello.cs");
        }
        Equal(Native.MessageSize.ToString(), Get(c, "AMT_HELLO_MESSAGE_SIZE"), "AMT_HELLO_MESSAGE_SIZE");
        Equal(Native.UuidTextSize.ToString(), Get(c, "AMT_HELLO_UUID_TEXT_SIZE"), "AMT_HELLO_UUID_TEXT_SIZE");
        Equal(Native.PidTextSize.ToString(), Get(c, "AMT_HELLO_PID_TEXT_SIZE"), "AMT_HELLO_PID_TEXT_SIZE");
        Equal(Native.UuidLen.ToString(), Get(c, "AmtHelloMessage.uuid").Split(' ')[1], "AmtHelloMessage.uuid's size");
        Equal(Native.PidLen.ToString(), Get(c, "AmtHelloMessage.pid").Split(' ')[1], "AmtHelloMessage.pid's size");
        Equal(Native.StatusOk.ToString(), Get(c, "AMT_HELLO_STATUS_OK"), "AMT_HELLO_STATUS_OK");
        Equal(Native.StatusIncomplete.ToString(), Get(c, "AMT_HELLO_STATUS_INCOMPLETE"), "AMT_HELLO_STATUS_INCOMPLETE");
        Equal(Native.StatusBufferTooSmall.ToString(), Get(c, "AMT_HELLO_STATUS_BUFFER_TOO_SMALL"), "AMT_HELLO_STATUS_BUFFER_TOO_SMALL");
    }

    static string Get(Dictionary<string, string> c, string key)
    {
        string value;
        return c.TryGetValue(key, out value) ? value : "(not in the header)";
    }

    static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: mono tests.exe VECTORS.tsv LAYOUT.txt");
            return 2;
        }
        int valid = 0, invalid = 0;
        foreach (string line in File.ReadAllLines(args[0]))
        {
            string[] f = line.Split('\t');
            if (f[0] == "valid")
            {
                Valid(f[1], FromHex(f[2]), f[3]);
                valid++;
            }
            else
            {
                Invalid(f[1], FromHex(f[2]), f[3], long.Parse(f[4]), long.Parse(f[5]), f[6] == "ok");
                invalid++;
            }
        }
        Check(valid == 11 && invalid == 21, "11 valid messages and 21 invalid ones, read " + valid + " and " + invalid);
        HelloDecodeException e = Throws(() => AmtHello.Parse(new byte[] { 1, 0 }));
        Equal(e == null ? null : e.Message,
            "truncated Hello: the field at byte 2 is incomplete; the message needs at least 24 bytes, 2 present",
            "the message is the Rust crate's");
        Check(e is Exception && Throws(() => AmtHello.Parse(new byte[0])).Kind == "truncated", "an empty message");
        Schedule();
        Layout(args[1]);
        Console.WriteLine("C# tests: " + valid + " valid messages (vectors and captures), " + invalid + " invalid; " +
            passed + " checks passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
