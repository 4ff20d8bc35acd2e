namespace Cutover.Core.Grpc;

/// <summary>Bytes that do not decode as the message the descriptor set declares, or that would decode past the limits.</summary>
public sealed class ProtobufFormatException(string message) : Exception(message);
