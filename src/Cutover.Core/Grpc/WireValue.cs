namespace Cutover.Core.Grpc;

/// <summary>
/// One field value as found on the wire, before its declared type gives it a meaning: a varint or
/// a fixed number in <see cref="Number"/>, or the place of a length-delimited value in the message.
/// </summary>
/// <param name="Type">How it was written.</param>
/// <param name="Number">The varint or the fixed 32 or 64 bits.</param>
/// <param name="Offset">Where a length-delimited value starts in the message.</param>
/// <param name="Length">How long a length-delimited value is.</param>
internal readonly record struct WireValue(WireType Type, ulong Number, int Offset, int Length);
