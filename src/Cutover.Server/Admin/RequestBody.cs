using System.Text.Json;
using System.Text.Json.Serialization;
using Cutover.Server.Control;
using Microsoft.AspNetCore.Http;

namespace Cutover.Server.Admin;

/// <summary>Reads a JSON body and turns anything malformed into a 400 that shows what a good body looks like.</summary>
internal static class RequestBody
{
    // Enums as the admin API writes them (camelCase names), or as numbers.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<T?> ReadAsync<T>(HttpRequest request, string example, bool required, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return required ? throw Malformed(example, "the body is empty") : null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Malformed(example, e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ControlException(e.StatusCode, "Request body too large", $"The body is larger than the admin API accepts; send only the JSON it needs, like {example}.");
        }
    }

    private static ControlException Malformed(string example, string why) =>
        new(400, "Malformed request body", $"The body must be JSON like {example}; {why}");
}
