namespace Cutover.Cli.AdminApi;

/// <summary>The admin API refused a call, with its problem details.</summary>
internal sealed class AdminProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
