using Cutover.Core.Shadow;

namespace Cutover.Core.Tests.Shadow;

public sealed class EndpointTemplateTests
{
    [Theory]
    [InlineData("GET", "/orders/42", "GET /orders/{id}")]
    [InlineData("get", "/orders/42/lines/7", "GET /orders/{id}/lines/{id}")]
    [InlineData("GET", "/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "GET /users/{id}")]
    [InlineData("GET", "/blobs/9f86d081884c7d65", "GET /blobs/{id}")]
    [InlineData("GET", "/sessions/aZ3kQ9xP2mL7vR1tB8", "GET /sessions/{id}")]
    [InlineData("GET", "/reports/2025-03-01", "GET /reports/{id}")]
    [InlineData("GET", "/api/v2/orders", "GET /api/v2/orders")]
    [InlineData("GET", "/orders/search", "GET /orders/search")]
    [InlineData("GET", "/users/user_1", "GET /users/user_1")]
    [InlineData("POST", "/", "POST /")]
    [InlineData("GET", "", "GET /")]
    [InlineData("GET", "/orders/", "GET /orders/")]
    [InlineData("POST", "/fleet.v1.Pricing/Get", "POST /fleet.v1.Pricing/Get")]
    [InlineData("POST", "/grpc.health.v1.Health/Check", "POST /grpc.health.v1.Health/Check")]
    [InlineData("GET", "/releases/1.2.3", "GET /releases/{id}")]
    public void Of_ReplacesIdentifiersOnly(string method, string path, string expected) =>
        Assert.Equal(expected, EndpointTemplate.Of(method, path));

    [Fact]
    public void Of_VeryLongPath_IsBounded()
    {
        var endpoint = EndpointTemplate.Of("GET", string.Concat(Enumerable.Repeat("/segment" + new string('x', 100), 50)));

        Assert.True(endpoint.Length < 1000, endpoint);
        Assert.EndsWith("/…", endpoint, StringComparison.Ordinal);
    }
}
