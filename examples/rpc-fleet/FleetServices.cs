using Grpc.Core;
using RpcFleet.V1;

namespace RpcFleet;

// The twelve services, each answering through the side's FleetAnswers (one class per service,
// as Grpc.AspNetCore maps a generated base class per service).

internal sealed class RecommendationsService(FleetAnswers answers) : Recommendations.RecommendationsBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Recommendations", request, context);
}

internal sealed class ReviewsService(FleetAnswers answers) : Reviews.ReviewsBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Reviews", request, context);
}

internal sealed class NotificationsService(FleetAnswers answers) : Notifications.NotificationsBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Notifications", request, context);
}

internal sealed class CatalogService(FleetAnswers answers) : Catalog.CatalogBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Catalog", request, context);
}

internal sealed class SearchService(FleetAnswers answers) : Search.SearchBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Search", request, context);
}

internal sealed class PricingService(FleetAnswers answers) : Pricing.PricingBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Pricing", request, context);
}

internal sealed class InventoryService(FleetAnswers answers) : Inventory.InventoryBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Inventory", request, context);
}

internal sealed class ShippingService(FleetAnswers answers) : Shipping.ShippingBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Shipping", request, context);
}

internal sealed class AccountsService(FleetAnswers answers) : Accounts.AccountsBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Accounts", request, context);
}

internal sealed class SessionsService(FleetAnswers answers) : Sessions.SessionsBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Sessions", request, context);
}

internal sealed class OrdersService(FleetAnswers answers) : Orders.OrdersBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Orders", request, context);
}

internal sealed class PaymentsService(FleetAnswers answers) : Payments.PaymentsBase
{
    public override Task<Reply> Get(Request request, ServerCallContext context) => answers.AnswerAsync("Payments", request, context);
}
