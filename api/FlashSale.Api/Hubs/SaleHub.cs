using System.Security.Claims;
using FlashSale.Api.Apis;
using FlashSale.Api.Identity;
using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FlashSale.Api.Hubs;

/// <summary>
/// The live sale at <c>/hubs/sale</c>. Anyone may watch a lot; a seller may watch the sell-through
/// of the seller's own lots; a shopper's connection receives that shopper's order updates and no
/// one else's, and a village agent's may ask for its own villagers' too. Updates reach
/// connections through groups; see <see cref="SaleFeedRelay"/>.
/// </summary>
public sealed class SaleHub(IGrainFactory grains, TimeProvider time) : Hub
{
    public const string Path = "/hubs/sale";

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        FlashSaleMetrics.HubConnections.Add(-1);
        return base.OnDisconnectedAsync(exception);
    }

    public override async Task OnConnectedAsync()
    {
        FlashSaleMetrics.HubConnections.Add(1);
        if (Context.User?.IsInRole(Roles.Shopper) == true)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Shopper(Context.User.ShopperId()));
        }

        await base.OnConnectedAsync();
    }

    /// <summary>Joins the lot's group and sends its current state at once.</summary>
    public async Task WatchLot(string lotId)
    {
        if (!Ids.IsWellFormed(lotId, Ids.LotPrefix))
        {
            throw new HubException("The lot was not found.");
        }

        // Join first, then read: an update published in between reaches the caller too, and the
        // client keeps whichever has the higher version.
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Lot(lotId));
        if (await grains.GetGrain<IProduceLotGrain>(lotId).Get() is not { } lot)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Lot(lotId));
            throw new HubException("The lot was not found.");
        }

        await Clients.Caller.SendAsync(LiveMessages.Stock,
            new StockUpdate(lot.LotId, lot.Available, lot.Reserved, lot.Sold, LiveFormat.Status(lot.Status), lot.Version, time.GetUtcNow()));
    }

    public Task UnwatchLot(string lotId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Lot(lotId));

    /// <summary>
    /// For a shopper in a lot's waiting room: joins the lot's group (whose <c>queueProgress</c>
    /// messages move the shopper's place) and sends the shopper's ticket at once.
    /// </summary>
    [Authorize(Policy = Roles.Shopper)]
    public async Task WatchQueue(string lotId)
    {
        if (!Ids.IsWellFormed(lotId, Ids.LotPrefix))
        {
            throw new HubException("The lot was not found.");
        }

        var ticket = await grains.GetGrain<WaitingRooms.IWaitingRoomGrain>(lotId).TicketOf(Context.User!.ShopperId())
            ?? throw new HubException("Join the waiting room first (POST /api/lots/{lotId}/queue).");
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Lot(lotId));
        await Clients.Caller.SendAsync(LiveMessages.Queue, ticket);
    }

    /// <summary>
    /// For a village agent: joins the shopper group of each of the agent's villagers, so the
    /// connection receives their <c>order</c> messages as the villagers' own phones would. A
    /// villager registered later is not watched until the client calls this again.
    /// </summary>
    [Authorize(Policy = Roles.Agent)]
    public async Task WatchVillagers()
    {
        // The parcels coming to the agent's point, whoever ordered them.
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.AgentParcels(Context.User!.AgentId()));
        var villagers = await AgentApi.Agent(Context.User!, grains).ListVillagers();
        foreach (var villager in villagers)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Shopper(villager.ShopperId));
        }
    }

    /// <summary>
    /// For a village agent whose villager has a ticket: as <see cref="WatchQueue"/> for that
    /// villager. Another agent's villager is not found, exactly as on the agent's routes.
    /// </summary>
    [Authorize(Policy = Roles.Agent)]
    public async Task WatchVillagerQueue(string shopperId, string lotId)
    {
        if (!await AgentApi.Represents(Context.User!, grains, shopperId))
        {
            throw new HubException("The villager was not found.");
        }

        if (!Ids.IsWellFormed(lotId, Ids.LotPrefix))
        {
            throw new HubException("The lot was not found.");
        }

        var ticket = await grains.GetGrain<WaitingRooms.IWaitingRoomGrain>(lotId).TicketOf(shopperId)
            ?? throw new HubException("Join the waiting room for the villager first (POST /api/agent/villagers/{shopperId}/lots/{lotId}/queue).");
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Lot(lotId));
        await Clients.Caller.SendAsync(LiveMessages.Queue, ticket);
    }

    /// <summary>For a seller: the <c>order</c> messages of every order with a shipment of the seller's, as they move.</summary>
    [Authorize(Policy = Roles.Seller)]
    public Task WatchSellerOrders() =>
        Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.SellerOrders(Context.User!.SellerId()));

    /// <summary>Joins the seller's group and sends the sell-through of each of the seller's lots at once.</summary>
    [Authorize(Policy = Roles.Seller)]
    public async Task WatchSeller()
    {
        var sellerId = Context.User!.SellerId();
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Seller(sellerId));
        var lotIds = await grains.GetGrain<ILotCatalogGrain>(0).ListBySeller(sellerId);
        var views = await Task.WhenAll(lotIds.Select(id => grains.GetGrain<IProduceLotGrain>(id).GetSellThrough(sellerId)));
        foreach (var view in views.Where(v => v.Succeeded))
        {
            await Clients.Caller.SendAsync(LiveMessages.SellThrough, view.Value);
        }
    }
}

/// <summary>The names of the server-to-client messages.</summary>
public static class LiveMessages
{
    public const string Stock = "stock";
    public const string SellThrough = "sellThrough";
    public const string Order = "order";
    public const string Queue = "queue";
    public const string QueueProgress = "queueProgress";
}
