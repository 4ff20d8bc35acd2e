namespace Cutover.Core.Grpc;

/// <summary>How a protobuf field's value is laid out on the wire: the low three bits of its tag.</summary>
internal enum WireType
{
    /// <summary>A base-128 varint: int32, int64, uint32, uint64, sint32, sint64, bool, enum.</summary>
    Varint = 0,

    /// <summary>Eight little-endian bytes: fixed64, sfixed64, double.</summary>
    Fixed64 = 1,

    /// <summary>A varint length, then that many bytes: string, bytes, a message, a packed repeated field.</summary>
    LengthDelimited = 2,

    /// <summary>The start of a proto2 group.</summary>
    StartGroup = 3,

    /// <summary>The end of a proto2 group.</summary>
    EndGroup = 4,

    /// <summary>Four little-endian bytes: fixed32, sfixed32, float.</summary>
    Fixed32 = 5,
}
