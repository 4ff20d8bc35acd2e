namespace LayeredRollout.Stores;

/// <summary>A user's profile as both versions of the service answer it, so Cutover's shadow run can compare them.</summary>
public sealed record Profile(long Id, string Name, string Email);
