using System.Runtime.InteropServices;

namespace Cutover.Store.Sqlite;

/// <summary>
/// Which file a path names, by its inode, read with <c>stat</c> (never an open: closing a
/// descriptor of a SQLite file drops the POSIX locks SQLite holds on it in this process). A file
/// replaced at the same path (another database moved over it, or deleted and created again) has
/// another inode, though it is neither missing nor empty. .NET exposes no inode, so this asks the
/// C library, on 64-bit Linux only; elsewhere the identity is unknown (null) and only a deleted or
/// emptied file is noticed.
/// </summary>
internal static partial class FileIdentity
{
    // struct stat starts with st_dev (8 bytes) then st_ino (8 bytes) on 64-bit Linux (x64 and
    // arm64, glibc and musl). Elsewhere (macOS's exported stat on x64 still has a 32-bit inode) it
    // is not read at all: a wrong offset would call every write's file replaced.
    private const int InodeOffset = 8;
    private const int StatSize = 256;

    /// <summary>The inode of the file at <paramref name="path"/>, or null when it cannot be read.</summary>
    public static ulong? Of(string path)
    {
        if (!Environment.Is64BitProcess || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[StatSize];
        try
        {
            return Stat(path, buffer) == 0 ? BitConverter.ToUInt64(buffer, InodeOffset) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, [Out] byte[] buffer);
}
