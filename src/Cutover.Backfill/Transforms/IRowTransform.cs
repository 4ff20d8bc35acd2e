namespace Cutover.Backfill.Transforms;

/// <summary>
/// Changes or rejects each mapped row in C#, for what the job's SQL expressions cannot say:
/// parsing a legacy format, a lookup in a table of the application's own, a rule written once in
/// the new application's code. Called for every row after the source's SELECT has mapped it and
/// before it is upserted, so the checkpoint's checksum and <c>verify</c> see the transformed row.
/// </summary>
/// <remarks>
/// Named in the job file (<c>transform: { assembly: ./MyTransforms.dll, type: MyCompany.NormaliseEmail }</c>)
/// and made once per run with the type's public parameterless constructor, or given in code through
/// <see cref="Running.BackfillRunner.Transform"/>. It must be deterministic: <c>verify</c> transforms
/// the source rows again and compares them with the target. A rejected row stops the job at its
/// batch, or with <c>onError: skip</c> is recorded and left out; an exception thrown by the
/// transform rejects the row with the exception's message.
/// </remarks>
public interface IRowTransform
{
    /// <summary>Changes <paramref name="row"/>'s values in place and keeps it, or rejects it with a reason.</summary>
    RowVerdict Transform(MappedRow row);
}
