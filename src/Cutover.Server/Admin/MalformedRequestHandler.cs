using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Admin;

/// <summary>
/// Answers a request whose path or query does not bind (<c>?limit=abc</c>, <c>?sample=newest</c>)
/// with a 400 problem that names the parameter and the value, instead of a bare 400: the
/// minimal-API binder reports these as <see cref="BadHttpRequestException"/>, one rule for every endpoint.
/// </summary>
internal sealed class MalformedRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "Malformed request",
                Detail = $"{bad.Message} Give each query parameter a value of its type, as docs/admin-api.md shows.",
            },
        });
    }
}
