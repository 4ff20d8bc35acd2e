namespace Cutover.Server.Dashboard;

/// <summary>One file of the dashboard as it is served: its bytes, its media type and the ETag a browser revalidates with.</summary>
/// <param name="Name">The file's name under <c>/ui/</c>.</param>
/// <param name="Content">The file as embedded in the assembly.</param>
/// <param name="ContentType">Its media type, from its extension.</param>
/// <param name="ETag">A strong ETag of its content, so an unchanged file costs a 304 after an upgrade-free reload.</param>
internal sealed record DashboardAsset(string Name, ReadOnlyMemory<byte> Content, string ContentType, string ETag);
