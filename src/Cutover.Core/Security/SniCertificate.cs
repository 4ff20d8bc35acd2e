namespace Cutover.Core.Security;

/// <summary>A certificate served to clients that ask (by SNI) for one of <see cref="Hosts"/>: exact names, or <c>*.</c> and a domain for any one label under it.</summary>
public sealed record SniCertificate(IReadOnlyList<string> Hosts, TlsCertificate Certificate);
