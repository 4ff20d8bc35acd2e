using Cutover.Backfill.Transforms;

namespace Cutover.Backfill.TestTransforms;

/// <summary>Moves e-mail addresses from example.com to example.net in lower case, and rejects client 90, a test account.</summary>
public sealed class NormaliseEmail : IRowTransform
{
    public RowVerdict Transform(MappedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Equals(row["client_id"], 90L) || Equals(row["client_id"], 90))
        {
            return RowVerdict.Reject("client 90 is a test account");
        }

        if (row["email"] is string email)
        {
            row["email"] = email.Trim().ToLowerInvariant().Replace("@example.com", "@example.net", StringComparison.Ordinal);
        }

        return RowVerdict.Keep;
    }
}
