namespace Cutover.Server.Routing;

/// <summary>A request feature: the sticky id Cutover made up for this request, to be set as a cookie on the response.</summary>
/// <param name="Id">The new id.</param>
internal sealed record IssuedStickyCookie(string Id);
