using System.Globalization;
using System.Text;
using FlashSale.Fulfilment;
using FlashSale.Ledger;
using FlashSale.Lots;
using FlashSale.Orders;

namespace FlashSale.Api.Fulfilment;

/// <summary>
/// CSV as spreadsheets read it (RFC 4180): every cell quoted, and a cell that a spreadsheet would
/// run as a formula (<c>= + - @</c>, tab, carriage return) prefixed with an apostrophe, because
/// shoppers write the names and addresses that land in the seller's sheet.
/// </summary>
public static class Csv
{
    public static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Row(params object?[] cells) =>
        string.Join(',', cells.Select(c => Cell(c is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : c?.ToString()))) + "\r\n";
}

/// <summary>The seller's packing list for one lot: one line per order, grouped by destination.</summary>
public static class PackingList
{
    public static string Csv(IEnumerable<Order> orders, Lot lot)
    {
        var csv = new StringBuilder(Fulfilment.Csv.Row("destination", "orderId", "lotId", "name", "quantity", "unit", "status", "recipient", "phone", "address", "trackingId"));
        var lines = orders
            .Select(o => (Order: o, Destination: Destination(o)))
            .OrderBy(l => l.Destination, StringComparer.Ordinal)
            .ThenBy(l => l.Order.CreatedAt);
        foreach (var (order, destination) in lines)
        {
            var shipment = order.Fulfilment?.ShipmentOf(lot.SellerId);
            var address = order.Delivery?.Address;
            foreach (var item in order.Items.Where(i => i.LotId == lot.LotId))
            {
                csv.Append(Fulfilment.Csv.Row(destination, order.OrderId, lot.LotId, lot.Name, item.Quantity, lot.Unit,
                    shipment is null ? "" : ShipmentStatuses.Kebab(shipment.Status),
                    address?.Name, address?.Phone, address is null ? "" : $"{address.Line1}, {address.Village}, {address.Region}", shipment?.TrackingId));
            }
        }

        return csv.ToString();
    }

    private static string Destination(Order order) => order.Delivery switch
    {
        { Kind: DeliveryKind.Pickup, PointId: { } point } => "point " + point,
        { Kind: DeliveryKind.Home, Address: { } a } => $"home {a.Region} / {a.Village}",
        _ => "not chosen",
    };
}

/// <summary>A seller's daily statement as CSV: the day's entries, then the closing balances.</summary>
public static class StatementCsv
{
    public static string Of(LedgerStatement statement)
    {
        var csv = new StringBuilder(Csv.Row("at", "entryId", "kind", "currency", "amountMinor", "orderId", "agentId"));
        foreach (var e in statement.Entries)
        {
            csv.Append(Csv.Row(e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.EntryId, Kebab(e.Kind), e.Currency, e.AmountMinor, e.OrderId, e.AgentId));
        }

        csv.Append("\r\n").Append(Csv.Row("currency", "paidMinor", "refundedMinor", "gatewayMinor", "heldByAgentsMinor", "heldBySellerMinor", "remittedMinor"));
        foreach (var b in statement.ClosingBalances)
        {
            csv.Append(Csv.Row(b.Currency, b.PaidMinor, b.RefundedMinor, b.GatewayMinor, b.HeldByAgentsMinor, b.HeldBySellerMinor, b.RemittedMinor));
        }

        return csv.ToString();
    }

    private static string Kebab(LedgerEntryKind kind) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}
