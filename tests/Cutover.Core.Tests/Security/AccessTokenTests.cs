using System.Security.Cryptography;
using System.Text;
using Cutover.Core.Security;

namespace Cutover.Core.Tests.Security;

public sealed class AccessTokenTests
{
    [Fact]
    public void Generate_GivesWellFormedTokensThatDifferAndShowOnlyTheirPrefix()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => AccessToken.Generate()).ToList();

        Assert.All(tokens, t => Assert.True(AccessToken.IsWellFormed(t), t));
        Assert.Equal(100, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(100, tokens.Select(AccessToken.PrefixOf).Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, t => Assert.Matches("^cut_[A-Za-z0-9]{8}$", AccessToken.PrefixOf(t)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("cut_Ab12Cd34")]
    [InlineData("cut_Ab12Cd34_0123456789abcdefghijklmnopqrstuv0")]
    [InlineData("cut_Ab12Cd34-0123456789abcdefghijklmnopqrstuv")]
    [InlineData("tok_Ab12Cd34_0123456789abcdefghijklmnopqrstuv")]
    [InlineData("cut_Ab12Cd3!_0123456789abcdefghijklmnopqrstuv")]
    [InlineData("cut_Ab12Cd34_0123456789abcdefghijklmnopqrst\u00e9v")]
    public void IsWellFormed_AnythingButAToken_IsNot(string text) => Assert.False(AccessToken.IsWellFormed(text));

    [Fact]
    public void Hash_IsHmacSha256UnderTheSecret_SoAnotherStoresSecretGivesAnotherHash()
    {
        const string Token = "cut_Ab12Cd34_0123456789abcdefghijklmnopqrstuv";
        var secret = AccessToken.NewSecret();

        var hash = AccessToken.Hash(secret, Token);

        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(Token))), hash);
        Assert.NotEqual(hash, AccessToken.Hash(AccessToken.NewSecret(), Token));
        Assert.DoesNotContain(Token[AccessToken.PrefixLength..], hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ci-deploy", null)]
    [InlineData("a", null)]
    [InlineData("CI", "'CI' is not a token name; use 1 to 63 lowercase letters, digits and dashes, like ci-deploy")]
    [InlineData("-x", "'-x' is not a token name")]
    [InlineData("a b", "'a b' is not a token name")]
    [InlineData("local", "'local' is what the audit log calls a caller that is not a token (local, cutover, api, store), so a token of that name could pose as it; choose another name")]
    [InlineData("cutover", "'cutover' is what the audit log calls a caller that is not a token")]
    public void NameProblem_SaysWhatIsWrongAndHowToFixIt(string name, string? problem)
    {
        var found = AccessToken.NameProblem(name);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.StartsWith(problem, found, StringComparison.Ordinal);
        }
    }
}
