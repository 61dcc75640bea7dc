using System.Globalization;
using FlashSale.Accounts;
using FlashSale.Agents;
using FlashSale.Common;
using FlashSale.Lots;
using FlashSale.Orders;
using FlashSale.Payments;
using FlashSale.WaitingRooms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlashSale.Phone;

/// <summary>
/// One USSD session's menu. Not reentrant, so a session's callbacks are answered one at a time.
/// The gateway sends every input so far in <c>text</c>; each distinct <c>text</c> is one step,
/// answered once and remembered (at most <see cref="PhoneChannel.MaxInputs"/> steps, for the
/// session's short life, in memory only): a repeated callback, or one that arrives after a later
/// step, gets the answer it had and changes nothing. A step that does not extend the newest one
/// (another branch of the same session) is refused with a readable <c>END</c>. The engine-side
/// work a step starts is idempotent in its own right (a hold sets a quantity; a checkout carries
/// an idempotency key made from the session and the step), so even a session lost with its
/// activation cannot act twice.
/// <para>
/// A number whose account is a village agent's gets the agent's own menu: first one of the
/// villagers the agent registered, then the same shop acting for that villager, by the web agent
/// routes' rules (holds through the agent's grain, so the villager's limit and the agent's cap
/// per lot apply; checkout with the agent's cash methods to the agent's own service point). The
/// villager is only ever one of the agent's own list; a shopper's number never sees this menu.
/// </para>
/// </summary>
[CollectionAgeLimit(Minutes = 10)]
internal sealed partial class UssdSessionGrain(
    IOptions<PhoneChannelOptions> options,
    IOptions<PaymentOptions> payments,
    ISmsGateway sms,
    PhoneLotListing lotListing,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider clock,
    TimeProvider wallClock,
    ILogger<UssdSessionGrain> logger) : Grain, IUssdSessionGrain
{
    private const int PageSize = 4;
    private const int MaxQuantityDigits = 6;

    private readonly Dictionary<string, UssdScreen> _answered = new(StringComparer.Ordinal);
    private PhoneShop? _shop;
    private string? _newest;
    private bool _ended;
    private DateTimeOffset _startedAt;
    private CultureInfo _culture = CultureInfo.InvariantCulture;
    private Menu _menu = new(Page.Main);
    /// <summary>The number's account; null while the number has never acted (see <see cref="BindBeforeActing"/>).</summary>
    private Account? _account;
    private string _phone = "";
    private string _serviceCode = "";

    /// <summary>The villager an agent's session acts for, once chosen; null for a shopper's own session.</summary>
    private Villager? _villager;

    /// <summary>
    /// False while the session walks inputs it never answered (a shortcut dialled with its
    /// inputs, or a session whose memory was lost): then only menu moves are made, and an
    /// input that would act (hold, check out, cancel, release) ends the session instead, since
    /// it may have acted already in the lost memory. Only the newest input may act.
    /// </summary>
    private bool _mayAct;

    /// <summary>How many inputs the step being answered has: with the session, it names the step.</summary>
    private int _depth;

    private enum Page
    {
        /// <summary>An agent's first screen: which of its villagers to act for.</summary>
        Villagers,
        Main,
        LotList,
        Lot,
        Quantity,
        Held,
        Cart,
        PayMethod,
        Orders,
        Order,
    }

    /// <summary>Where the session is, and what its numbered choices stand for.</summary>
    private sealed record Menu(Page Page, IReadOnlyList<string>? Choices = null, string? LotId = null, bool Live = true, int Offset = 0, string? OrderId = null);

    private PhoneShop Shop => _shop ??= new PhoneShop(GrainFactory, payments.Value, options.Value);

    /// <summary>
    /// Whose cart and orders the session shows: the chosen villager's for an agent, else the
    /// number's own; null for a number with no account yet, which has no cart and no orders.
    /// </summary>
    private string? ShopperIdIfAny => _villager?.ShopperId ?? _account?.ShopperId;

    /// <summary>The shopper an action is for; only reached once the number is bound.</summary>
    private string ShopperId => ShopperIdIfAny ?? throw new InvalidOperationException("The session acts only once its number is bound to an account.");

    /// <summary>The agent the number is, or null for a shopper (only an approved agent's account has an agent id).</summary>
    private string? AgentId => _account?.AgentId;

    public async Task<UssdScreen> Step(UssdStep step)
    {
        if (_answered.TryGetValue(step.Text, out var already))
        {
            return already; // a repeated or late callback: the same answer, nothing done again
        }

        _serviceCode = step.ServiceCode.Length > 0 ? step.ServiceCode : options.Value.ServiceCode;
        var inputs = step.Text.Length == 0 ? [] : step.Text.Split('*');
        if (_newest is null)
        {
            _startedAt = clock.GetUtcNow();
            _culture = PhoneChannel.CultureOf(step.Phone);
            _phone = step.Phone;
        }

        if (_ended || clock.GetUtcNow() - _startedAt > options.Value.SessionLifetime)
        {
            return End(PhoneTexts.SessionOver.Format(_serviceCode));
        }

        var known = _newest is null ? -1 : _newest.Length == 0 ? 0 : _newest.Split('*').Length;
        var extendsNewest = _newest is null || (_newest.Length == 0 ? step.Text.Length > 0 : step.Text.StartsWith(_newest + "*", StringComparison.Ordinal));
        if (!extendsNewest || inputs.Length > PhoneChannel.MaxInputs)
        {
            return Remember(step.Text, End(PhoneTexts.OutOfStep.Format(_serviceCode)));
        }

        try
        {
            if (_newest is null)
            {
                // Read, not made: a number that only looks at the menu leaves nothing in storage.
                _account = await Shop.ExistingAccountOf(step.Phone);
                var opening = _account is { Suspended: true } ? End(PhoneTexts.Suspended) : await Show(new Menu(AgentId is null ? Page.Main : Page.Villagers));
                Remember("", opening);
                known = 0;
                if (opening.Ends)
                {
                    return inputs.Length == 0 ? opening : Remember(step.Text, opening);
                }
            }

            // Inputs the session has not seen yet are taken in order (a dialled shortcut such as
            // *384*12*1# arrives as a first step with its inputs), each answered and remembered.
            UssdScreen screen = _answered[_newest!];
            for (var i = known; i < inputs.Length; i++)
            {
                _mayAct = i == inputs.Length - 1;
                _depth = i + 1;
                screen = await Choose(inputs[i].Trim());
                Remember(string.Join('*', inputs.Take(i + 1)), screen);
                if (screen.Ends)
                {
                    return Remember(step.Text, screen);
                }
            }

            return screen;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // The engine could not answer now (storage, a silo, a deadline): a person reads this
            // and dials again; nothing was acknowledged that did not happen.
            LogStepFailed(logger, failure, this.GetPrimaryKeyString());
            return Remember(step.Text, End(PhoneTexts.Busy));
        }
    }

    private UssdScreen Remember(string text, UssdScreen screen)
    {
        _answered[text] = screen;
        if (_newest is null || text.Length > _newest.Length)
        {
            _newest = text;
        }

        _ended |= screen.Ends;
        return screen;
    }

    /// <summary>One input on the current screen: a move, or an action and its answer.</summary>
    private async Task<UssdScreen> Choose(string input)
    {
        if (input.Length == 0 || input.Length > MaxQuantityDigits || !input.All(char.IsAsciiDigit))
        {
            return Unknown();
        }

        var n = int.Parse(input, NumberStyles.None, CultureInfo.InvariantCulture);
        var menu = _menu;
        switch (menu.Page)
        {
            case Page.Villagers:
                if (n == 9)
                {
                    return await SwitchLanguage();
                }

                if (n == 8 && menu.Choices!.Count == PageSize + 1)
                {
                    return await Show(menu with { Offset = menu.Offset + PageSize });
                }

                if (n == 0 && menu.Offset > 0)
                {
                    return await Show(new Menu(Page.Villagers));
                }

                return n >= 1 && n <= Math.Min(PageSize, menu.Choices!.Count) ? await ActFor(menu.Choices[n - 1]) : Unknown();

            case Page.Main:
                return n switch
                {
                    0 when AgentId is not null => await ChooseAnotherVillager(),
                    1 => await Show(new Menu(Page.LotList, Live: true)),
                    2 => await Show(new Menu(Page.LotList, Live: false)),
                    3 => await Show(new Menu(Page.Cart)),
                    4 => await Show(new Menu(Page.Orders)),
                    9 => await SwitchLanguage(),
                    _ => Unknown(),
                };

            case Page.LotList:
                if (n == 0)
                {
                    return await Show(new Menu(Page.Main));
                }

                if (n == 8 && menu.Choices!.Count == PageSize + 1)
                {
                    return await Show(menu with { Offset = menu.Offset + PageSize });
                }

                return n >= 1 && n <= Math.Min(PageSize, menu.Choices!.Count)
                    ? await Show(new Menu(Page.Lot, LotId: menu.Choices[n - 1], Live: menu.Live, Offset: menu.Offset))
                    : Unknown();

            case Page.Lot:
                return n switch
                {
                    0 => await Show(new Menu(Page.LotList, Live: menu.Live, Offset: menu.Offset)),
                    1 when menu.Choices is ["hold"] => await Show(menu with { Page = Page.Quantity }),
                    1 when menu.Choices is ["queue"] => _mayAct ? await JoinQueue(menu.LotId!) : OutOfStep(),
                    _ => Unknown(),
                };

            case Page.Quantity:
                return n == 0 ? await Show(menu with { Page = Page.Lot }) : _mayAct ? await HoldQuantity(menu, n) : OutOfStep();

            case Page.Held:
                return n switch
                {
                    0 => await Show(new Menu(Page.Main)),
                    1 => await Show(new Menu(Page.PayMethod)),
                    2 => _mayAct ? await Release([menu.LotId!]) : OutOfStep(),
                    _ => Unknown(),
                };

            case Page.Cart:
                return n switch
                {
                    0 => await Show(new Menu(Page.Main)),
                    1 when menu.Choices is { Count: > 0 } => await Show(new Menu(Page.PayMethod)),
                    2 when menu.Choices is { Count: > 0 } => _mayAct ? await Release(menu.Choices) : OutOfStep(),
                    _ => Unknown(),
                };

            case Page.PayMethod:
                if (n == 0)
                {
                    return await Show(new Menu(Page.Cart));
                }

                return n >= 1 && n <= menu.Choices!.Count ? _mayAct ? await CheckOut(menu.Choices[n - 1]) : OutOfStep() : Unknown();

            case Page.Orders:
                if (n == 0)
                {
                    return await Show(new Menu(Page.Main));
                }

                return n >= 1 && n <= menu.Choices!.Count ? await Show(new Menu(Page.Order, OrderId: menu.Choices[n - 1])) : Unknown();

            case Page.Order:
                return n switch
                {
                    0 => await Show(new Menu(Page.Orders)),
                    1 when menu.Choices is ["cancel"] => _mayAct ? await Cancel(menu.OrderId!) : OutOfStep(),
                    _ => Unknown(),
                };

            default:
                return Unknown();
        }
    }

    private UssdScreen Unknown() => End(PhoneTexts.UnknownChoice.Format(_serviceCode));

    private UssdScreen OutOfStep() => End(PhoneTexts.OutOfStep.Format(_serviceCode));

    /// <summary>Option 9: the other of the number's two languages (see <see cref="PhoneChannel.LanguagesOf"/>).</summary>
    private Task<UssdScreen> SwitchLanguage()
    {
        _culture = PhoneChannel.SwitchedLanguage(_phone, _culture);
        return Show(new Menu(_menu.Page is Page.Villagers ? Page.Villagers : Page.Main));
    }

    /// <summary>An agent picks a villager: only one of its own list, read again now, can be chosen.</summary>
    private async Task<UssdScreen> ActFor(string villagerId)
    {
        var villager = (await Shop.Villagers(AgentId!)).FirstOrDefault(v => string.Equals(v.ShopperId, villagerId, StringComparison.Ordinal));
        if (villager is null)
        {
            return Unknown();
        }

        _villager = villager;
        return await Show(new Menu(Page.Main));
    }

    private Task<UssdScreen> ChooseAnotherVillager()
    {
        _villager = null;
        return Show(new Menu(Page.Villagers));
    }

    /// <summary>Renders a screen from the engine's current state and makes it the session's place.</summary>
    private async Task<UssdScreen> Show(Menu menu)
    {
        var (screen, shown) = menu.Page switch
        {
            Page.LotList => await LotList(menu),
            Page.Lot => await LotScreen(menu),
            Page.Quantity => await QuantityScreen(menu),
            Page.Cart => await CartScreen(menu),
            Page.PayMethod => await PayMethodScreen(menu),
            Page.Orders => await OrdersScreen(menu),
            Page.Order => await OrderScreen(menu),
            Page.Villagers => await VillagersScreen(menu),
            _ => (MainScreen(), menu),
        };
        _menu = shown;
        return screen;
    }

    private UssdScreen MainScreen() => Continue(
        _villager is null ? T(PhoneTexts.Title) : T(PhoneTexts.ActingFor.Format(_villager.Name)),
        "1 " + T(PhoneTexts.MenuLive),
        "2 " + T(PhoneTexts.MenuSoon),
        "3 " + T(PhoneTexts.MenuCart),
        "4 " + T(PhoneTexts.MenuOrders),
        _villager is null ? null : "0 " + T(PhoneTexts.OtherVillager),
        "9 " + LanguageSwitch);

    private string LanguageSwitch => PhoneChannel.SwitchTo(PhoneChannel.SwitchedLanguage(_phone, _culture));

    private async Task<(UssdScreen, Menu)> VillagersScreen(Menu menu)
    {
        var villagers = await Shop.Villagers(AgentId!);
        if (villagers.Count == 0)
        {
            return (End(PhoneTexts.NoVillagers), menu with { Choices = [] });
        }

        var page = villagers.Skip(menu.Offset).Take(PageSize + 1).ToList(); // one more tells whether "More" is offered
        var lines = new List<string> { T(PhoneTexts.AgentVillagers) };
        lines.AddRange(page.Take(PageSize).Select((v, i) => $"{i + 1} {v.Name}"));
        if (page.Count > PageSize)
        {
            lines.Add("8 " + T(PhoneTexts.More));
        }

        if (menu.Offset > 0)
        {
            lines.Add("0 " + T(PhoneTexts.Back));
        }

        lines.Add("9 " + LanguageSwitch);
        return (Continue(lines), menu with { Choices = page.Select(v => v.ShopperId).ToList() });
    }

    private async Task<(UssdScreen, Menu)> LotList(Menu menu)
    {
        var lots = await lotListing.Lots(menu.Live);
        var page = lots.Skip(menu.Offset).Take(PageSize + 1).ToList(); // one more tells whether "More" is offered
        if (page.Count == 0)
        {
            return (Continue(T(menu.Live ? PhoneTexts.NoLiveLots : PhoneTexts.NoSoonLots), "0 " + T(PhoneTexts.Back)), menu with { Choices = [] });
        }

        var lines = page.Take(PageSize).Select((lot, i) => $"{i + 1} {Code(lot)} {lot.Name} " +
            (menu.Live ? PhoneShop.Money(lot.PriceMinor, lot.Currency) : T(PhoneTexts.Opens.Format(PhoneShop.When(lot.StartsAt))))).ToList();
        if (page.Count > PageSize)
        {
            lines.Add("8 " + T(PhoneTexts.More));
        }

        lines.Add("0 " + T(PhoneTexts.Back));
        return (Continue(lines), menu with { Choices = page.Select(l => l.LotId).ToList() });
    }

    private async Task<(UssdScreen, Menu)> LotScreen(Menu menu)
    {
        if (await Shop.Lot(menu.LotId!) is not { } lot)
        {
            return (End(PhoneTexts.LotEnded), menu);
        }

        var canHold = lot.Status is LotStatus.Live;
        var canQueue = lot.WaitingRoom is not null && lot.Status is LotStatus.Scheduled;
        var status = lot.Status switch
        {
            LotStatus.Live => null,
            LotStatus.Scheduled => T(PhoneTexts.Opens.Format(PhoneShop.When(lot.StartsAt))),
            _ => T(PhoneTexts.NotOnSale.Format(PhoneShop.StatusName(lot.Status))),
        };
        return (Continue(
            $"{Code(lot)} {lot.Name}",
            T(PhoneTexts.Price.Format(PhoneShop.Money(lot.PriceMinor, lot.Currency), lot.Unit)),
            T(PhoneTexts.Left.Format(lot.Available, lot.Quantity)),
            T(PhoneTexts.Limit.Format(lot.PerShopperLimit)),
            lot.WaitingRoom is null ? null : T(PhoneTexts.Queue),
            status,
            canHold ? "1 " + T(PhoneTexts.Hold) : canQueue ? "1 " + T(PhoneTexts.JoinQueue) : null,
            "0 " + T(PhoneTexts.Back)), menu with { Choices = canHold ? ["hold"] : canQueue ? ["queue"] : [] });
    }

    private async Task<(UssdScreen, Menu)> QuantityScreen(Menu menu) =>
        await Shop.Lot(menu.LotId!) is { } lot
            ? (Continue(T(PhoneTexts.HowMany.Format(lot.Unit, lot.PerShopperLimit)), "0 " + T(PhoneTexts.Back)), menu)
            : (End(PhoneTexts.LotEnded), menu);

    private async Task<(UssdScreen, Menu)> CartScreen(Menu menu)
    {
        var cart = ShopperIdIfAny is { } shopperId ? await Shop.Cart(shopperId) : null;
        if (cart is null || cart.Items.Count == 0)
        {
            return (Continue(T(PhoneTexts.CartEmpty), "0 " + T(PhoneTexts.Back)), menu with { Choices = [] });
        }

        var lots = await Task.WhenAll(cart.Items.Select(i => Shop.Lot(i.LotId)));
        var lines = cart.Items.Select((item, i) => $"{(lots[i] is { } lot ? Code(lot) + " " + lot.Name : "?")} x{item.Quantity}").ToList();
        lines.Add(T(PhoneTexts.CartTotal.Format(PhoneShop.Money(cart.TotalMinor, cart.Currency!))));
        lines.Add("1 " + T(PhoneTexts.CheckOut));
        lines.Add("2 " + T(PhoneTexts.Release));
        lines.Add("0 " + T(PhoneTexts.Back));
        return (Continue(lines), menu with { Choices = cart.Items.Select(i => i.LotId).ToList() });
    }

    private async Task<(UssdScreen, Menu)> PayMethodScreen(Menu menu)
    {
        var cart = ShopperIdIfAny is { } shopperId ? await Shop.Cart(shopperId) : null;
        if (cart is null || cart.Items.Count == 0 || cart.Currency is null)
        {
            return (End(PhoneTexts.CartEmpty), menu);
        }

        var methods = AgentId is null ? Shop.MethodsFor(cart.Currency) : Shop.AgentMethodsFor(cart.Currency);
        if ((await Task.WhenAll(cart.Items.Select(i => Shop.Lot(i.LotId)))).Any(l => l?.Presale is not null))
        {
            if (cart.Items.Count > 1)
            {
                // Checkout would refuse whichever method is chosen: say why now, and lead back to the cart.
                return (Continue(T(EngineTexts.PresaleOnItsOwn), "0 " + T(PhoneTexts.Back)), menu with { Choices = [] });
            }

            // Offered, cash on delivery would only be refused at checkout (a deposit is paid before the harvest).
            methods = Shop.PaidBeforeDelivery(cart.Currency, methods);
        }

        var lines = new List<string> { T(PhoneTexts.PayHow.Format(PhoneShop.Money(cart.TotalMinor, cart.Currency))) };
        lines.AddRange(methods.Select((m, i) => $"{i + 1} {T(PhoneShop.MethodName(m, payments.Value, cart.Currency))}"));
        lines.Add("0 " + T(PhoneTexts.Back));
        return (Continue(lines), menu with { Choices = methods });
    }

    private async Task<(UssdScreen, Menu)> OrdersScreen(Menu menu)
    {
        var orders = ShopperIdIfAny is { } shopperId ? (await Shop.Orders(shopperId)).Take(PageSize).ToList() : [];
        if (orders.Count == 0)
        {
            return (Continue(T(PhoneTexts.NoOrders), "0 " + T(PhoneTexts.Back)), menu with { Choices = [] });
        }

        var lines = orders.Select((o, i) => $"{i + 1} {PhoneChannel.ReferenceOf(o.OrderId)} {T(PhoneShop.StatusName(o.Status))} {PhoneShop.Money(o.TotalMinor, o.Currency)}").ToList();
        lines.Add("0 " + T(PhoneTexts.Back));
        return (Continue(lines), menu with { Choices = orders.Select(o => o.OrderId).ToList() });
    }

    private async Task<(UssdScreen, Menu)> OrderScreen(Menu menu)
    {
        if (await GrainFactory.GetGrain<IOrderGrain>(menu.OrderId!).Get() is not { } order || !string.Equals(order.ShopperId, ShopperIdIfAny, StringComparison.Ordinal))
        {
            return (End(PhoneTexts.SmsNoSuchOrder.Format(PhoneChannel.ReferenceOf(menu.OrderId!))), menu);
        }

        var cancellable = order.Status is OrderStatus.AwaitingPayment;
        return (Continue(
            $"{PhoneChannel.ReferenceOf(order.OrderId)} {T(PhoneShop.StatusName(order.Status))}",
            PhoneShop.Money(order.TotalMinor, order.Currency),
            order.Fulfilment?.PickupCode is { } code ? T(PhoneTexts.PickupCode.Format(code)) : null,
            cancellable ? T(PhoneTexts.PayBy.Format(PhoneShop.When(order.Payment.ExpiresAt))) : null,
            cancellable ? "1 " + T(PhoneTexts.CancelOrder) : null,
            "0 " + T(PhoneTexts.Back)), menu with { Choices = cancellable ? ["cancel"] : [] });
    }

    private async Task<UssdScreen> HoldQuantity(Menu menu, int quantity)
    {
        if (await Shop.Lot(menu.LotId!) is not { } lot)
        {
            return End(PhoneTexts.LotEnded);
        }

        if (quantity < 1 || quantity > lot.PerShopperLimit)
        {
            return End(PhoneTexts.HowMany.Format(lot.Unit, lot.PerShopperLimit));
        }

        if (await BindBeforeActing() is { } refused)
        {
            return refused;
        }

        var shopperId = ShopperId;
        return await WithinBudget(
            Shop.Hold(shopperId, lot, quantity, TextOnAdmission(lot), AgentId),
            held => held switch
            {
                PhoneHold.Held h => ShowHeld(h),
                PhoneHold.Queued q => End(QueuedText(q)),
                PhoneHold.Refused r => End(r.Refusal.DetailIn(_culture)),
                _ => Unknown(),
            },
            held => Task.FromResult(held switch
            {
                PhoneHold.Held h => PhoneTexts.SmsHeld.Format(Code(h.Lot), h.Item.Quantity, PhoneShop.When(h.Item.ExpiresAt), _serviceCode).In(_culture),
                PhoneHold.Queued q => QueuedText(q).In(_culture),
                PhoneHold.Refused r => PhoneTexts.SmsRefused.Format(r.Refusal.DetailIn(_culture)).In(_culture),
                _ => "",
            }));
    }

    private UssdScreen ShowHeld(PhoneHold.Held held)
    {
        _menu = new Menu(Page.Held, LotId: held.Lot.LotId);
        var total = checked(held.Item.PriceMinor * held.Item.Quantity);
        return Continue(
            T(PhoneTexts.Held.Format(held.Item.Quantity, held.Lot.Unit, PhoneShop.Money(total, held.Lot.Currency), PhoneShop.When(held.Item.ExpiresAt))),
            "1 " + T(PhoneTexts.CheckOut),
            "2 " + T(PhoneTexts.Release),
            "0 " + T(PhoneTexts.MainMenu));
    }

    private static LocalText QueuedText(PhoneHold.Queued queued) =>
        queued.Ticket switch
        {
            { State: TicketState.Lapsed } => PhoneTexts.QueueLapsed,
            { Position: { } position, AdmitsAt: { } at } => PhoneTexts.Queued.Format(Code(queued.Lot).TrimStart('#'), position, PhoneShop.When(at)),
            _ => PhoneTexts.QueuedAwaitingDraw.Format(Code(queued.Lot).TrimStart('#'), PhoneShop.When(queued.Lot.StartsAt)),
        };

    /// <summary>Joins a waiting room before its opening, as <c>POST /api/lots/{lotId}/queue</c> does: the same ticket on every call.</summary>
    private async Task<UssdScreen> JoinQueue(string lotId)
    {
        if (await Shop.Lot(lotId) is not { } lot)
        {
            return End(PhoneTexts.LotEnded);
        }

        if (await BindBeforeActing() is { } refused)
        {
            return refused;
        }

        var ticket = await GrainFactory.GetGrain<IWaitingRoomGrain>(lotId).JoinByPhone(ShopperId, TextOnAdmission(lot));
        return ticket.Succeeded ? End(QueuedText(new PhoneHold.Queued(lot, ticket.Value))) : End(ticket.Refusal.DetailIn(_culture));
    }

    /// <summary>
    /// Who the waiting room texts when this session's queue ticket is admitted: the number that
    /// dialled, in the session's language, with the code it dialled; for an agent, naming the villager.
    /// </summary>
    private AdmissionSmsRecipient TextOnAdmission(Lot lot) => new(_phone, _culture.Name, _serviceCode, lot.PhoneCode, _villager?.Name);

    /// <summary>
    /// Binds the number to its account (made now if it has none) before its first action; null
    /// when the session may act. A number that only looks never gets an account, so a crowd
    /// dialling a sale writes nothing until someone holds. The account may have been made
    /// meanwhile by a web sign-in: a suspended one stops here, and one that is an agent's ends the
    /// session (the next dial shows the agent's own menu).
    /// </summary>
    private async Task<UssdScreen?> BindBeforeActing()
    {
        if (_account is not null)
        {
            return null;
        }

        var account = await Shop.AccountOf(_phone);
        if (account.Suspended)
        {
            return End(PhoneTexts.Suspended);
        }

        if (account.AgentId is not null)
        {
            return End(PhoneTexts.SessionOver.Format(_serviceCode));
        }

        _account = account;
        return null;
    }

    private async Task<UssdScreen> Release(IReadOnlyList<string> lotIds)
    {
        foreach (var lotId in lotIds)
        {
            var released = await Shop.Release(ShopperId, lotId);
            if (!released.Succeeded)
            {
                return End(released.Refusal.DetailIn(_culture));
            }
        }

        return End(PhoneTexts.Released);
    }

    private async Task<UssdScreen> CheckOut(string method)
    {
        // One key per session and step: the same step again (even from a new activation, after
        // the session's memory was lost) answers the same order and never places a second one.
        var key = $"ussd-{PhoneChannel.KeyPart(this.GetPrimaryKeyString())}-{_depth}";
        var delivery = AgentId is null ? null : await Shop.AgentDelivery(AgentId);
        var villager = _villager;
        return await WithinBudget(
            Shop.Checkout(ShopperId, key, method, delivery),
            placed => placed.Succeeded
                ? End(PhoneTexts.OrderPlaced.Format(PhoneChannel.ReferenceOf(placed.Value.OrderId), PhoneShop.Money(placed.Value.TotalMinor, placed.Value.Currency), PhoneShop.StatusName(placed.Value.Status)))
                : End(placed.Refusal.DetailIn(_culture)),
            async placed =>
            {
                var text = placed.Succeeded
                    ? await Shop.OrderMessage(placed.Value, _culture)
                    : PhoneTexts.SmsRefused.Format(placed.Refusal.DetailIn(_culture)).In(_culture);
                return villager is null ? text : T(PhoneTexts.ForVillager.Format(villager.Name, text));
            },
            smsAlsoOnTime: true);
    }

    private async Task<UssdScreen> Cancel(string orderId)
    {
        var cancelled = await Shop.Cancel(ShopperId, orderId);
        return cancelled.Succeeded
            ? End(PhoneTexts.Cancelled.Format(PhoneChannel.ReferenceOf(orderId)))
            : End(cancelled.Refusal.DetailIn(_culture));
    }

    /// <summary>
    /// Waits for engine work at most <see cref="PhoneChannelOptions.ActionBudget"/> (by the wall
    /// clock: it is the gateway's patience that runs out). On time, the screen shows the result;
    /// late, the session ends with "we will send you an SMS", and the work, which always runs to
    /// its end in the engine, sends its result by SMS when it is done.
    /// </summary>
    private async Task<UssdScreen> WithinBudget<T>(Task<T> work, Func<T, UssdScreen> onTime, Func<T, Task<string>> message, bool smsAlsoOnTime = false)
    {
        if (!work.IsCompleted)
        {
            var budget = options.Value.ActionBudget;
            using var stop = new CancellationTokenSource();
            var late = budget <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(budget, wallClock, stop.Token);
            var first = await Task.WhenAny(work, late);
            await stop.CancelAsync();
            if (first != work)
            {
                var phone = _phone;
                _ = SendWhenDone(phone, work, message);
                return End(PhoneTexts.WorkingOnIt);
            }
        }

        var result = await work;
        if (smsAlsoOnTime)
        {
            _ = SendWhenDone(_phone, work, message);
        }

        return onTime(result);
    }

    private async Task SendWhenDone<T>(string phone, Task<T> work, Func<T, Task<string>> message)
    {
        try
        {
            var text = await message(await work);
            if (text.Length > 0)
            {
                await sms.SendAsync(phone, text);
            }
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // The work's own outcome stands (the engine finished or refused it); only the message is lost.
            LogSmsFailed(logger, failure, this.GetPrimaryKeyString());
        }
    }

    private string T(LocalText text) => text.In(_culture);

    private static string Code(Lot lot) => lot.PhoneCode is { } code ? "#" + code.ToString(CultureInfo.InvariantCulture) : "#?";

    private static UssdScreen Continue(params IEnumerable<string?> lines) => ScreenText.Continue(lines);

    private UssdScreen End(LocalText text) => ScreenText.End(T(text));

    private static UssdScreen End(string text) => ScreenText.End(text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "USSD step of session {Session} failed; answered busy")]
    private static partial void LogStepFailed(ILogger logger, Exception failure, string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SMS of USSD session {Session} could not be sent")]
    private static partial void LogSmsFailed(ILogger logger, Exception failure, string session);
}
