using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cutover.Bench.Comparison;

/// <summary>
/// Deterministic, realistic order responses: one order (about 2 KB, like <c>GET /orders/42</c>) or
/// a page of orders (about 200 KB, like <c>GET /orders?page=1</c>), and the same document with a
/// handful of differences planted in it. The same seed always gives the same bytes.
/// </summary>
internal static class OrderDocuments
{
    /// <summary>How many differences <see cref="Mutate"/> plants: four changed leaves, one type change, one missing field.</summary>
    public const int PlantedDifferences = 6;

    private const int Seed = 20261122;

    private static readonly DateTimeOffset Epoch = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Products =
    [
        "Espresso beans 1 kg", "Ceramic pour-over dripper", "Paper filters (100)", "Burr grinder",
        "Gooseneck kettle 1 l", "Digital scale 0.1 g", "Milk jug 600 ml", "Cleaning tablets",
        "Travel mug, stainless", "Cold brew bottle", "Tamper 58 mm", "Knock box",
    ];

    private static readonly string[] FirstNames = ["Ana", "Jonas", "Mei", "Oluwaseun", "Priya", "Lukas", "Sofia", "Mateo", "Aiko", "Noah"];

    private static readonly string[] LastNames = ["Silva", "Berg", "Chen", "Adeyemi", "Sharma", "Novak", "Rossi", "García", "Tanaka", "Müller"];

    private static readonly string[] Cities = ["Lisbon", "Oslo", "Rotterdam", "Lyon", "Kraków", "Porto", "Gothenburg", "Leipzig"];

    private static readonly string[] Streets = ["Harbour Road", "Linden Street", "Station Square", "Mill Lane", "Canal Walk", "Orchard Way"];

    private static readonly string[] Statuses = ["pending", "paid", "packed", "shipped", "delivered"];

    private static readonly string[] Tags = ["gift", "express", "b2b", "fragile", "promo-spring", "subscription", "first-order", "priority"];

    private static readonly string[] Colours = ["black", "white", "steel", "copper", "matte green"];

    /// <summary>
    /// Two bodies built separately from the same seed, so equal content is never the same array:
    /// one order of about 2 KB or a page of orders of about 200 KB, the second one
    /// <see cref="Mutate"/>d when the case is <see cref="PairCase.Differs"/>.
    /// </summary>
    public static (byte[] Legacy, byte[] Candidate) Pair(int kilobytes, PairCase pairCase)
    {
        var legacy = Build(kilobytes);
        var candidate = Build(kilobytes);
        if (pairCase == PairCase.Differs)
        {
            Mutate(candidate);
        }

        return (Serialize(legacy), Serialize(candidate));
    }

    /// <summary>A single order with <paramref name="items"/> lines.</summary>
    private static JsonObject SingleOrder(int seed, int items)
    {
        var random = new Random(seed);
        return Order(random, 4_200_042, items);
    }

    /// <summary>A page of orders, with orders added until it serialises to at least <paramref name="minBytes"/>.</summary>
    private static JsonObject OrderPage(int seed, int minBytes)
    {
        var random = new Random(seed);
        var orders = new JsonArray();
        var bytes = 0;
        var id = 4_200_000;
        while (bytes < minBytes)
        {
            var order = Order(random, id++, random.Next(1, 7));
            bytes += Serialize(order).Length + 1;
            orders.Add(order);
        }

        return new JsonObject
        {
            ["page"] = 1,
            ["pageSize"] = orders.Count,
            ["totalCount"] = orders.Count * 37,
            ["generatedAt"] = Timestamp(Epoch.AddDays(300)),
            ["orders"] = orders,
            ["links"] = new JsonObject
            {
                ["self"] = "/orders?page=1",
                ["next"] = "/orders?page=2",
                ["last"] = "/orders?page=37",
            },
        };
    }

    /// <summary>
    /// Plants <see cref="PlantedDifferences"/> differences: a quantity, a unit price, a status and
    /// a timestamp changed, the customer id turned from a number into a string, and the shipping
    /// tracking number left out. On a page they are spread over six orders from first to last.
    /// </summary>
    private static void Mutate(JsonObject document)
    {
        JsonObject[] targets;
        if (document["orders"] is JsonArray orders)
        {
            var n = orders.Count;
            targets = [.. Enumerable.Range(1, PlantedDifferences).Select(k => orders[n * k / (PlantedDifferences + 1)]!.AsObject())];
        }
        else
        {
            targets = [.. Enumerable.Repeat(document, PlantedDifferences)];
        }

        var firstItem = targets[0]["items"]![0]!.AsObject();
        firstItem["quantity"] = firstItem["quantity"]!.GetValue<int>() + 1;

        var lastItems = targets[1]["items"]!.AsArray();
        var lastItem = lastItems[^1]!.AsObject();
        lastItem["unitPrice"] = lastItem["unitPrice"]!.GetValue<decimal>() + 0.10m;

        var status = targets[2]["status"]!.GetValue<string>();
        targets[2]["status"] = status == "delivered" ? "shipped" : "delivered";

        var updated = DateTimeOffset.Parse(targets[3]["updatedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        targets[3]["updatedAt"] = Timestamp(updated.AddSeconds(1));

        var customer = targets[4]["customer"]!.AsObject();
        customer["id"] = customer["id"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture);

        targets[5]["shipping"]!.AsObject().Remove("trackingNumber");
    }

    /// <summary>Compact UTF-8 JSON, as an API sends it.</summary>
    private static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);

    private static JsonObject Build(int kilobytes) => kilobytes switch
    {
        2 => SingleOrder(Seed, items: 6),
        200 => OrderPage(Seed, minBytes: 200 * 1024),
        _ => throw new ArgumentOutOfRangeException(nameof(kilobytes), kilobytes, "the sizes are 2 and 200 (KB)"),
    };

    private static JsonObject Order(Random random, int id, int itemCount)
    {
        var created = Epoch.AddMinutes(random.Next(0, 60 * 24 * 300));
        var items = new JsonArray();
        var subtotal = 0m;
        for (var line = 1; line <= itemCount; line++)
        {
            var quantity = random.Next(1, 6);
            var unitPrice = random.Next(199, 24_999) / 100m;
            var discount = random.Next(4) == 0 ? Math.Round(unitPrice * quantity * 0.1m, 2) : 0m;
            subtotal += unitPrice * quantity - discount;
            items.Add(new JsonObject
            {
                ["lineId"] = line,
                ["sku"] = "SKU-" + random.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture),
                ["name"] = Pick(random, Products),
                ["quantity"] = quantity,
                ["unitPrice"] = unitPrice,
                ["discount"] = discount,
                ["taxRate"] = 0.21m,
                ["attributes"] = new JsonObject { ["colour"] = Pick(random, Colours), ["giftWrap"] = random.Next(5) == 0 },
                ["tags"] = TagList(random, random.Next(0, 3)),
                ["updatedAt"] = Timestamp(created.AddMinutes(random.Next(0, 120))),
            });
        }

        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        var shippingCost = random.Next(3) == 0 ? 0m : 4.95m;
        var tax = Math.Round(subtotal * 0.21m, 2);
        return new JsonObject
        {
            ["id"] = id,
            ["number"] = "SO-" + id.ToString("D8", CultureInfo.InvariantCulture),
            ["status"] = Pick(random, Statuses),
            ["currency"] = "EUR",
            ["createdAt"] = Timestamp(created),
            ["updatedAt"] = Timestamp(created.AddMinutes(random.Next(120, 6_000))),
            ["customer"] = new JsonObject
            {
                ["id"] = random.Next(100_000, 999_999),
                ["name"] = first + " " + last,
                ["email"] = (first + "." + last).ToLowerInvariant() + "@example.com",
                ["loyaltyTier"] = random.Next(3) switch { 0 => "bronze", 1 => "silver", _ => "gold" },
                ["address"] = new JsonObject
                {
                    ["line1"] = random.Next(1, 300).ToString(CultureInfo.InvariantCulture) + " " + Pick(random, Streets),
                    ["line2"] = random.Next(3) == 0 ? "Flat " + random.Next(1, 40).ToString(CultureInfo.InvariantCulture) : null,
                    ["city"] = Pick(random, Cities),
                    ["postalCode"] = random.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture),
                    ["country"] = "EU",
                },
            },
            ["items"] = items,
            ["shipping"] = new JsonObject
            {
                ["method"] = shippingCost == 0 ? "standard" : "express",
                ["cost"] = shippingCost,
                ["trackingNumber"] = "TRK" + random.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture),
                ["estimatedDelivery"] = created.AddDays(random.Next(1, 6)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            ["totals"] = new JsonObject
            {
                ["subtotal"] = subtotal,
                ["tax"] = tax,
                ["shipping"] = shippingCost,
                ["total"] = subtotal + tax + shippingCost,
            },
            ["tags"] = TagList(random, random.Next(0, 4)),
            ["paid"] = random.Next(4) != 0,
            ["notes"] = random.Next(4) == 0 ? "Leave at the door if nobody answers." : null,
        };
    }

    private static JsonArray TagList(Random random, int count)
    {
        var tags = new JsonArray();
        foreach (var tag in Tags.OrderBy(_ => random.Next()).Take(count))
        {
            tags.Add(tag);
        }

        return tags;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Timestamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
