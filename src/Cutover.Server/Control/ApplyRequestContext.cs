namespace Cutover.Server.Control;

/// <summary>Who applies which file, why, and when: the same for every migration of one <c>cutover apply</c>.</summary>
/// <param name="Source">The file's name, for messages and the audit log.</param>
/// <param name="Actor">Who applies it.</param>
/// <param name="Reason">Why, as given; may be empty.</param>
/// <param name="Now">When, for the progress of a replaced plan.</param>
internal sealed record ApplyRequestContext(string Source, string Actor, string Reason, DateTimeOffset Now);
