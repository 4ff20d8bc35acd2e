using Cutover.Store;

namespace Cutover.Bench.Admin;

/// <summary>Tokens held in memory: the registry reads them once at setup, so the store's speed is not part of any figure.</summary>
internal sealed class MemoryTokens(byte[] secret, IReadOnlyList<TokenRecord> tokens) : ITokenStore
{
    public string Description => "memory";

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<byte[]> GetTokenSecretAsync(CancellationToken cancellationToken = default) => Task.FromResult(secret);

    public Task<IReadOnlyList<TokenRecord>> GetTokensAsync(CancellationToken cancellationToken = default) => Task.FromResult(tokens);

    public Task<bool> AddTokenAsync(TokenRecord token, string reason, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> RevokeTokenAsync(string name, string actor, string reason, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
