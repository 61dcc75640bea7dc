// Every string the client shows, in English and Simplified Chinese. The Chinese dictionary is
// typed by the English one, so a string missing from either fails the build.

const en = {
  appName: "FlashSale", skip: "Skip to content",
  navSale: "Sale", navCart: "Cart", navOrders: "Orders", navSeller: "Sell", navAgent: "Agent",
  language: "Language", switchLanguage: "中文",
  connLive: "Live", connConnecting: "Connecting…", connReconnecting: "Reconnecting…", connOffline: "Offline",
  loading: "Loading…", retry: "Try again", back: "Back to the sale",
  saleTitle: "Harvest sale", noLots: "No lots on sale yet.",
  opensIn: "Opens in {time}", endsIn: "Ends in {time}", leftOf: "{available} of {quantity} left",
  reservedSold: "{reserved} held · {sold} sold", perShopper: "At most {limit} per shopper", unitPrice: "{price} per {unit}",
  status_scheduled: "Opens soon", status_live: "On sale", status_paused: "Paused", "status_sold-out": "Sold out", status_ended: "Ended",
  yourName: "Your name", quantity: "Quantity", addToCart: "Add to cart", addedToCart: "Held for you: {quantity}. The hold ends in {time}.",
  viewCart: "Go to cart", cartTitle: "Your cart", cartEmpty: "Your cart is empty.", holdEndsIn: "Hold ends in {time}", holdExpired: "Hold expired",
  remove: "Remove", total: "Total", paymentMethod: "How will you pay?", checkout: "Place order", noMethods: "No payment method for this currency.",
  orderTitle: "Order", ordersTitle: "Your orders", noOrders: "No orders yet.", orderStatus: "Status", payBefore: "Pay before {time}",
  payInstructions: "Instructions", sandboxPay: "Pay in the wallet (sandbox)", sandboxFail: "Decline (sandbox)", cancelOrder: "Cancel order",
  order_awaiting_payment: "Awaiting payment", order_paid: "Paid", "order_confirmed-cod": "Confirmed, pay on delivery", order_cancelled: "Cancelled",
  order_expired: "Expired", order_refunded: "Refunded",
  "order_deposit-paid": "Deposit paid: waiting for the harvest", "order_awaiting-balance": "Harvest allocated: pay the balance", order_forfeited: "Forfeited: the balance was not paid",
  dueNow: "Due now", refunded: "Refunded: {amount} ({reason})",
  method_wallet: "Mobile wallet", "method_bank-transfer": "Bank transfer", "method_cash-on-delivery": "Cash on delivery",
  "method_village-agent": "Village agent", "method_mobile-money": "Mobile money",
  howto_wallet: "Confirm the payment in your wallet app.", "howto_bank-transfer": "Transfer the total quoting the payment id as reference.",
  "howto_cash-on-delivery": "Pay the courier in cash when the produce arrives.", "howto_village-agent": "Pay your village agent in cash; the agent confirms it.",
  "howto_mobile-money": "Approve the payment prompt on your phone.",
  "error_sold-out": "Sold out: not enough left.", "error_limit-exceeded": "That is more than one shopper may buy.",
  "error_sale-not-live": "This sale is not open now.", "error_currency-mismatch": "Your cart holds another currency.",
  error_conflict: "That is no longer possible. Refresh and try again.", error_network: "No connection. Your request will work when you retry.",
  "error_rate-limited": "Busy: please retry in a moment.", error_unavailable: "The sale is busy: please retry.",
  "error_invalid-request": "Please check the highlighted fields.", error_unauthorized: "Please sign up again.",
  error_forbidden: "Not allowed.", "error_not-found": "Not found.", error_other: "Something went wrong ({code}).",
  sellerTitle: "Sell your harvest", signUpSeller: "Sign up as a seller", village: "Village", signUp: "Sign up",
  signedInAs: "Signed in as {name}", newLot: "New lot", lotName: "Produce", unit: "Unit (e.g. box of 5 kg)", price: "Price per unit",
  currency: "Currency", perShopperLimit: "Limit per shopper", startsAt: "Opens at (empty: now)", endsAt: "Ends at (optional)",
  createLot: "Create lot", lotCreated: "Lot created.", dashboardTitle: "Your lots, live", noSellerLots: "You have no lots yet.",
  sold: "Sold", reserved: "Held", available: "Left", revenue: "Revenue", paidOrders: "Paid orders", holdsExpiring: "Holds expiring soon",
  sellThroughChart: "Units sold per minute", pause: "Pause", resume: "Resume", restock: "Restock", restockBy: "Units to add",
  opensOn: "Opens {time}", endsOn: "Ends {time}", editLot: "Edit", saveChanges: "Save changes", cancelEdit: "Cancel",
  opensAt: "Opens at", closesAt: "Ends at", fieldRequired: "Required.",
  endSale: "End sale", endQuestion: "End the sale now? Holds return to stock; placed orders stand.", endConfirm: "Yes, end the sale", endKeep: "Keep selling",
  agentTitle: "Village agent", signUpAgent: "Sign up as a village agent", villagers: "Villagers", registerVillager: "Register villager",
  villagerName: "Villager's name", noVillagers: "No villagers registered yet.", orderFor: "Order for a villager", villager: "Villager",
  lot: "Lot", placeOrder: "Hold and order", toCollect: "Orders to collect", nothingToCollect: "Nothing to collect.",
  markCollected: "Cash collected", orderPlaced: "Order placed for {name}.",
  waitingRoom: "Waiting room", joinQueue: "Join the queue", joinAgain: "Join the queue again", queueMarker: "Queue",
  queue_none: "Shoppers are let in by turns. Join the queue for a place: places of everyone who joins before the opening are drawn at random.",
  "queue_awaiting-draw": "You are in the queue. Places are drawn at the opening.", queue_waiting: "Waiting for your turn.",
  queue_admitted: "It is your turn: add to cart now.", queue_lapsed: "Your turn ended. Join again for a new place at the back.",
  queuePlace: "Place {position} · {ahead} ahead of you", queuePlaceAdmitted: "Place {position}", drawIn: "Draw in {time}",
  drawing: "Drawing places…", turnIn: "Your turn in {time}", turnEndsIn: "Your turn ends in {time}",
  reason_none: "Join the queue first: add to cart opens when your turn comes.", "reason_awaiting-draw": "Not your turn yet: places are drawn at the opening.",
  reason_waiting: "Not your turn yet: wait in the queue.", reason_lapsed: "Your turn ended: join the queue again.",
  admitPerSecond: "Waiting room: shoppers let in per second (empty: none)",
  chooseVillager: "Acting for", villagerCart: "{name}'s cart", villagerOrders: "{name}'s orders", holdFor: "Hold for {name}",
  hold: "Hold", heldFor: "Held for {name}.", lotsOffered: "Lots on sale", noLotsOffered: "No lot to hold.",
  "error_wrong-code": "The code is wrong or has expired. Ask for a new one.",
  navSignIn: "Sign in", navAccount: "Account", navOperator: "Operator",
  signInTitle: "Sign in with your phone", phone: "Mobile number with country code (+86…)", sendCode: "Send code",
  codeSent: "We sent a 6-digit code to {phone}. It expires in 5 minutes.", code: "Code from the SMS", signIn: "Sign in",
  otherNumber: "Use another number", sandboxOutbox: "Development server: read the code in the sandbox SMS outbox",
  accountTitle: "Your account", accountRoles: "Roles: {roles}", signOut: "Sign out",
  applyTitle: "Apply to sell or to be a village agent", applyRole: "I want to be", role_seller: "Seller", role_agent: "Village agent", role_shopper: "Shopper", role_operator: "Operator",
  applyName: "Name (your farm or service point)", apply: "Send application", applied: "Application sent: an operator will review it.",
  applicationsTitle: "Your applications", noApplications: "No applications yet.", newRoleNote: "An approved role is yours from your next sign-in or refresh.",
  application_pending: "Pending", application_approved: "Approved", application_rejected: "Rejected",
  operatorTitle: "Operator", pendingTitle: "Applications to review", noPending: "Nothing to review.",
  approve: "Approve", reject: "Reject", decided: "Done: {status}.", suspendTitle: "Suspend an account", accountId: "Account id",
  suspend: "Suspend", suspended: "Account suspended: its tokens stop working within a minute.",
  takeDownTitle: "Take a lot down", takeDown: "Take down", takenDown: "Lot taken down: holds returned, placed orders stand.",
  operatorOnly: "Only operators can use this page.",
  delivery: "How will you get it?", deliveryPickup: "Pick up at a village service point", deliveryHome: "Home delivery",
  yourVillage: "Your village (its service points come first)", pickupPoint: "Service point", noPoints: "No service point yet: choose home delivery.",
  addrName: "Recipient's name", addrPhone: "Phone", addrLine1: "Address (street, house number)", addrRegion: "County and province",
  pickupAt: "Pickup at {point}", homeTo: "Home delivery to {address}", pickupCodeTitle: "Your pickup code",
  pickupCodeHowto: "Tell this code to the agent at the service point when you collect, and to no one before.",
  timelineTitle: "Where your order is", shipmentN: "Shipment {n}", cancelReason: "Reason: {reason}", trackingId: "Tracking number: {id}",
  "ship_awaiting-packing": "Awaiting packing", ship_packed: "Packed", ship_shipped: "Shipped", "ship_at-pickup-point": "At the service point",
  ship_collected: "Collected", ship_delivered: "Delivered", ship_cancelled: "Cancelled by the seller",
  orderDesk: "Order desk", deskTitle: "Orders of {name}", filterStatus: "Show", allStatuses: "All orders", noDeskOrders: "No orders here.",
  orderRef: "Order {ref}", pack: "Pack", ship: "Ship", markDelivered: "Delivered", cancelShipment: "Cancel…",
  reason: "Reason (the shopper sees it)", confirmCancel: "Cancel and refund", selectForShipping: "Select",
  shipSelected: "Ship selected ({count})", shippedCount: "Shipped: {count}.", resetCode: "Unlock the pickup code", codeReset: "{order}: the agent may try the pickup code again.", moreOrders: "More orders", downloadCsv: "Packing list (CSV)", statementCsv: "Download (CSV)",
  moneyLink: "Money: ledger, statements, cash from agents", moneyTitle: "Money", ledgerTitle: "Ledger", noLedger: "No money yet.",
  led_paid: "Paid by shoppers", led_refunded: "Refunded", led_gateway: "Owed by payment services", led_heldByAgents: "Cash held by agents",
  led_heldBySeller: "Cash you took", led_remitted: "Handed to you by agents", led_owed: "Still owed to you",
  statementTitle: "Daily statement", statementDate: "Day (UTC)", show: "Show", noEntries: "No entries that day.", closing: "At the end of the day",
  "entry_paid-via-gateway": "Paid online", "entry_cash-held-by-agent": "Cash taken by an agent", "entry_cash-held-by-seller": "Cash you took",
  "entry_refund-via-gateway": "Refunded online", "entry_refund-from-agent-cash": "Refunded from an agent's cash",
  "entry_refund-from-seller-cash": "Refunded from your cash", "entry_remittance-confirmed": "Cash received from an agent",
  remittancesTitle: "Cash from agents", noRemittances: "No hand-over recorded.", remittance_pending: "Awaiting your confirmation",
  remittance_confirmed: "Confirmed", confirmReceived: "I received it", fromAgent: "From {name}",
  parcelsLink: "Parcels and cash", parcelsTitle: "Parcels at my point", noParcels: "No parcel on its way.", markArrived: "Arrived",
  pickupCodeInput: "Pickup code the shopper tells you", handOver: "Hand over", collectCash: "Collect {amount} in cash",
  cashTitle: "Cash I hold", noCash: "No cash held.", cashFor: "For {seller}", heldAmount: "Held: {amount}",
  pendingAmount: "Awaiting the seller's confirmation: {amount}", remitAmount: "Amount handed to the seller", remit: "Record hand-over",
  remitted: "Recorded: the seller confirms it.",
  phoneTitle: "Phone simulator", phoneIntro: "A basic phone on the sandbox gateway: dial the menu, answer with a choice's number, read the texts the number gets.",
  phoneDevOnly: "The phone simulator needs a development server: this server has no sandbox gateway.",
  phoneNumber: "Phone number (+86…, +254…)", dial: "Dial {code}", phoneScreen: "Screen", screenIdle: "Dial to open the menu.",
  yourChoice: "Your choice", sendChoice: "Send", keypad: "Keypad", deleteDigit: "Delete", sessionEnded: "The session has ended: dial again.",
  smsInbox: "Texts received", noSms: "No texts yet.", refreshInbox: "Refresh", smsCompose: "Send a text",
  smsText: "Message: BUY <code> <qty>, STATUS or CANCEL <ref>", smsSend: "Send text", smsReply: "Reply: {text}",
  smsNoReply: "No reply was sent. A number over its text budget is told once a minute; its other texts get no reply.",
  presaleChoice: "Presale (pay a deposit now, the balance at harvest)", presaleTerms: "Presale terms",
  depositPercent: "Deposit (% of the price, 1–50)", harvestFrom: "Harvest from", harvestTo: "Harvest until",
  balanceWindowHours: "Hours to pay the balance after the harvest (1–720)", allocation: "If the harvest falls short",
  "alloc_pro-rata": "Pro rata", "allocHow_pro-rata": "Every order gets the same share of what it ordered.",
  "alloc_first-come": "First come", "allocHow_first-come": "The earliest orders are filled whole first.",
  grade: "Grade (optional, e.g. A)", unitWeightGrams: "Unit weight in grams (optional)", weightTolerancePercent: "Weight tolerance in % (0–20, with a unit weight)",
  presaleBadge: "Presale", gradeIs: "Grade {grade}", harvestWindow: "Harvest: {dates}",
  depositNow: "Deposit now: {deposit} per unit, balance at harvest", depositTerms: "Deposit {percent} %: {deposit} per unit",
  forecast: "Forecast", deposits: "Deposits collected", declareTitle: "Harvest", harvestQuantity: "Units harvested",
  declareHarvest: "Declare harvest", harvestDeclared: "Harvest declared: {declared} ({time})",
  sharesTitle: "Each order's share", orderCol: "Order", orderedCol: "Ordered", allocatedCol: "Allocated",
  ordered: "Ordered", allocatedOfDeclared: "Allocated of the harvest", balancesPaid: "Balances paid", balancesOutstanding: "Balances outstanding",
  forfeitedOrders: "Forfeited", refundedOrders: "Refunded whole", countOf: "{n} of {total}",
  offerAnotherGrade: "Offer another grade", substituteGrade: "Grade to offer", substituteQuantity: "Units (at most {cut})", offerSubstitute: "Send offer",
  noOtherGrade: "No other declared grade has units left.", substituteOffered: "Offered: {quantity} × {lot}, until {time}.",
  substituteTitle: "Another grade", substituteOffer: "The seller offers {quantity} × {lot} at {price} each instead; reply by {time}",
  acceptSubstitute: "Accept and order", declineSubstitute: "Decline", substituteOrder: "Go to the new order",
  substitute_accepted: "You accepted {quantity} × {lot}: it is a new order.", substitute_declined: "You declined the seller's offer of {quantity} × {lot}.",
  substitute_expired: "The seller's offer of {quantity} × {lot} lapsed at {time}.",
  presaleTitle: "Your presale", tlOrdered: "Ordered: {n}", tlDepositPaid: "Deposit paid: {amount}", tlDepositDue: "Deposit due: {amount}",
  tlAllocated: "Harvest allocated: {allocated} of {ordered}", tlBalanceLater: "Balance after the harvest",
  tlBalanceDue: "Balance {amount} due by {time}", tlBalancePaid: "Balance paid: {amount}",
};

export type Key = keyof typeof en;

const zhCN: Record<Key, string> = {
  appName: "闪购助农", skip: "跳到正文",
  navSale: "抢购", navCart: "购物车", navOrders: "订单", navSeller: "卖家", navAgent: "代购员",
  language: "语言", switchLanguage: "English",
  connLive: "实时", connConnecting: "连接中…", connReconnecting: "重新连接中…", connOffline: "离线",
  loading: "加载中…", retry: "重试", back: "返回抢购",
  saleTitle: "丰收抢购", noLots: "暂无在售商品。",
  opensIn: "{time} 后开抢", endsIn: "{time} 后结束", leftOf: "剩余 {available} / {quantity}",
  reservedSold: "已锁定 {reserved} · 已售 {sold}", perShopper: "每人限购 {limit}", unitPrice: "{price} / {unit}",
  status_scheduled: "即将开抢", status_live: "抢购中", status_paused: "已暂停", "status_sold-out": "已售罄", status_ended: "已结束",
  yourName: "您的姓名", quantity: "数量", addToCart: "加入购物车", addedToCart: "已为您锁定 {quantity} 件，{time} 后释放。",
  viewCart: "去购物车", cartTitle: "购物车", cartEmpty: "购物车是空的。", holdEndsIn: "锁定剩余 {time}", holdExpired: "锁定已过期",
  remove: "移除", total: "合计", paymentMethod: "支付方式", checkout: "提交订单", noMethods: "该币种暂无支付方式。",
  orderTitle: "订单", ordersTitle: "我的订单", noOrders: "暂无订单。", orderStatus: "状态", payBefore: "请在 {time} 前付款",
  payInstructions: "付款说明", sandboxPay: "在钱包中付款（沙箱）", sandboxFail: "拒绝付款（沙箱）", cancelOrder: "取消订单",
  order_awaiting_payment: "待付款", order_paid: "已付款", "order_confirmed-cod": "已确认，货到付款", order_cancelled: "已取消",
  order_expired: "已过期", order_refunded: "已退款",
  "order_deposit-paid": "已付定金，等待收成", "order_awaiting-balance": "收成已分配，请付尾款", order_forfeited: "未付尾款，定金已没收",
  dueNow: "本次应付", refunded: "已退款：{amount}（{reason}）",
  method_wallet: "手机钱包", "method_bank-transfer": "银行转账", "method_cash-on-delivery": "货到付款",
  "method_village-agent": "村级代购员", "method_mobile-money": "手机汇款",
  howto_wallet: "请在钱包应用中确认付款。", "howto_bank-transfer": "转账时请以支付编号作为附言。",
  "howto_cash-on-delivery": "收货时向快递员支付现金。", "howto_village-agent": "向村级代购员支付现金，由代购员确认。",
  "howto_mobile-money": "请在手机上确认付款提示。",
  "error_sold-out": "已售罄：库存不足。", "error_limit-exceeded": "超过每人限购数量。",
  "error_sale-not-live": "该商品当前未开售。", "error_currency-mismatch": "购物车中已有其他币种的商品。",
  error_conflict: "当前无法操作，请刷新后重试。", error_network: "网络未连接，重试即可继续。",
  "error_rate-limited": "人数过多，请稍后重试。", error_unavailable: "抢购繁忙，请重试。",
  "error_invalid-request": "请检查标出的字段。", error_unauthorized: "请重新注册。",
  error_forbidden: "无权操作。", "error_not-found": "未找到。", error_other: "出错了（{code}）。",
  sellerTitle: "出售您的农产品", signUpSeller: "注册为卖家", village: "村庄", signUp: "注册",
  signedInAs: "当前用户：{name}", newLot: "新建商品", lotName: "农产品", unit: "单位（如 5 公斤一箱）", price: "单价",
  currency: "币种", perShopperLimit: "每人限购", startsAt: "开抢时间（留空为立即）", endsAt: "结束时间（可选）",
  createLot: "创建商品", lotCreated: "商品已创建。", dashboardTitle: "我的商品（实时）", noSellerLots: "您还没有商品。",
  sold: "已售", reserved: "锁定", available: "剩余", revenue: "收入", paidOrders: "已付订单", holdsExpiring: "即将释放的锁定",
  sellThroughChart: "每分钟售出件数", pause: "暂停", resume: "恢复", restock: "补货", restockBy: "补货数量",
  opensOn: "{time} 开抢", endsOn: "{time} 结束", editLot: "修改", saveChanges: "保存修改", cancelEdit: "取消",
  opensAt: "开抢时间", closesAt: "结束时间", fieldRequired: "必填。",
  endSale: "结束抢购", endQuestion: "现在结束抢购？锁定的商品退回库存，已下的订单保留。", endConfirm: "确认结束", endKeep: "继续销售",
  agentTitle: "村级代购员", signUpAgent: "注册为代购员", villagers: "村民", registerVillager: "登记村民",
  villagerName: "村民姓名", noVillagers: "尚未登记村民。", orderFor: "为村民下单", villager: "村民",
  lot: "商品", placeOrder: "锁定并下单", toCollect: "待收款订单", nothingToCollect: "没有待收款订单。",
  markCollected: "已收现金", orderPlaced: "已为 {name} 下单。",
  waitingRoom: "排队", joinQueue: "加入排队", joinAgain: "重新排队", queueMarker: "排队",
  queue_none: "本场分批入场。加入排队即可获得名次：开抢前加入的人，开抢时随机抽签排序。",
  "queue_awaiting-draw": "您已在排队中，开抢时抽签决定名次。", queue_waiting: "正在等候入场。",
  queue_admitted: "轮到您了：请立即加入购物车。", queue_lapsed: "您的入场时间已过。重新排队将排在队尾。",
  queuePlace: "第 {position} 位 · 前面还有 {ahead} 人", queuePlaceAdmitted: "第 {position} 位", drawIn: "{time} 后抽签",
  drawing: "正在抽签…", turnIn: "{time} 后轮到您", turnEndsIn: "入场剩余 {time}",
  reason_none: "请先加入排队：轮到您后才能加入购物车。", "reason_awaiting-draw": "尚未轮到您：开抢时抽签。",
  reason_waiting: "尚未轮到您：请排队等候。", reason_lapsed: "入场时间已过：请重新排队。",
  admitPerSecond: "排队入场：每秒放行人数（留空为不排队）",
  chooseVillager: "代购对象", villagerCart: "{name} 的购物车", villagerOrders: "{name} 的订单", holdFor: "为 {name} 锁定",
  hold: "锁定", heldFor: "已为 {name} 锁定。", lotsOffered: "在售商品", noLotsOffered: "没有可锁定的商品。",
  "error_wrong-code": "验证码错误或已过期，请重新获取。",
  navSignIn: "登录", navAccount: "账户", navOperator: "运营",
  signInTitle: "用手机号登录", phone: "带国家代码的手机号（+86…）", sendCode: "发送验证码",
  codeSent: "验证码已发送至 {phone}，5 分钟内有效。", code: "短信验证码", signIn: "登录",
  otherNumber: "换一个号码", sandboxOutbox: "开发服务器：在沙盒短信发件箱中查看验证码",
  accountTitle: "我的账户", accountRoles: "角色：{roles}", signOut: "退出登录",
  applyTitle: "申请成为卖家或村级代购员", applyRole: "我想成为", role_seller: "卖家", role_agent: "村级代购员", role_shopper: "顾客", role_operator: "运营",
  applyName: "名称（农场或服务点）", apply: "提交申请", applied: "申请已提交，运营人员将会审核。",
  applicationsTitle: "我的申请", noApplications: "暂无申请。", newRoleNote: "获批的角色在下次登录或刷新后生效。",
  application_pending: "审核中", application_approved: "已批准", application_rejected: "已拒绝",
  operatorTitle: "运营", pendingTitle: "待审核的申请", noPending: "没有待审核的申请。",
  approve: "批准", reject: "拒绝", decided: "已处理：{status}。", suspendTitle: "停用账户", accountId: "账户 ID",
  suspend: "停用", suspended: "账户已停用：其令牌将在一分钟内失效。",
  takeDownTitle: "下架批次", takeDown: "下架", takenDown: "批次已下架：预留已退回，已下的订单保留。",
  operatorOnly: "只有运营人员可以使用此页面。",
  delivery: "收货方式", deliveryPickup: "到村级服务点自提", deliveryHome: "送货上门",
  yourVillage: "您的村庄（优先显示本村服务点）", pickupPoint: "服务点", noPoints: "暂无服务点，请选择送货上门。",
  addrName: "收货人姓名", addrPhone: "电话", addrLine1: "详细地址（街道、门牌号）", addrRegion: "县和省",
  pickupAt: "到 {point} 自提", homeTo: "送货至 {address}", pickupCodeTitle: "您的取件码",
  pickupCodeHowto: "取货时把此码告诉服务点的代购员，取货前请勿告诉任何人。",
  timelineTitle: "订单进度", shipmentN: "包裹 {n}", cancelReason: "原因：{reason}", trackingId: "运单号：{id}",
  "ship_awaiting-packing": "待打包", ship_packed: "已打包", ship_shipped: "已发货", "ship_at-pickup-point": "已到服务点",
  ship_collected: "已取货", ship_delivered: "已送达", ship_cancelled: "卖家已取消",
  orderDesk: "订单处理", deskTitle: "{name} 的订单", filterStatus: "显示", allStatuses: "全部订单", noDeskOrders: "暂无订单。",
  orderRef: "订单 {ref}", pack: "打包", ship: "发货", markDelivered: "已送达", cancelShipment: "取消…",
  reason: "原因（顾客可见）", confirmCancel: "取消并退款", selectForShipping: "选择",
  shipSelected: "批量发货（{count}）", shippedCount: "已发货：{count} 单。", resetCode: "解锁取件码", codeReset: "{order}：代购员可以再次输入取件码。", moreOrders: "更多订单", downloadCsv: "装箱单（CSV）", statementCsv: "下载（CSV）",
  moneyLink: "货款：账本、日结单、代购员交款", moneyTitle: "货款", ledgerTitle: "账本", noLedger: "暂无款项。",
  led_paid: "顾客已付", led_refunded: "已退款", led_gateway: "支付平台待结", led_heldByAgents: "代购员持有现金",
  led_heldBySeller: "您收取的现金", led_remitted: "代购员已交", led_owed: "尚欠您",
  statementTitle: "日结单", statementDate: "日期（UTC）", show: "查看", noEntries: "当天无记录。", closing: "日终余额",
  "entry_paid-via-gateway": "在线支付", "entry_cash-held-by-agent": "代购员收取现金", "entry_cash-held-by-seller": "您收取现金",
  "entry_refund-via-gateway": "在线退款", "entry_refund-from-agent-cash": "代购员现金退款",
  "entry_refund-from-seller-cash": "您的现金退款", "entry_remittance-confirmed": "收到代购员交款",
  remittancesTitle: "代购员交款", noRemittances: "暂无交款记录。", remittance_pending: "待您确认",
  remittance_confirmed: "已确认", confirmReceived: "确认收到", fromAgent: "来自 {name}",
  parcelsLink: "包裹与现金", parcelsTitle: "本站包裹", noParcels: "暂无包裹。", markArrived: "已到站",
  pickupCodeInput: "顾客告知的取件码", handOver: "交付", collectCash: "收取现金 {amount}",
  cashTitle: "我持有的现金", noCash: "未持有现金。", cashFor: "应交 {seller}", heldAmount: "持有：{amount}",
  pendingAmount: "待卖家确认：{amount}", remitAmount: "交给卖家的金额", remit: "登记交款",
  remitted: "已登记，待卖家确认。",
  phoneTitle: "手机模拟器", phoneIntro: "在沙盒网关上模拟一部普通手机：拨号打开菜单，输入选项编号，查看该号码收到的短信。",
  phoneDevOnly: "手机模拟器需要开发环境服务器：此服务器没有沙盒网关。",
  phoneNumber: "手机号（+86…、+254…）", dial: "拨打 {code}", phoneScreen: "屏幕", screenIdle: "拨号打开菜单。",
  yourChoice: "您的选择", sendChoice: "发送", keypad: "键盘", deleteDigit: "删除", sessionEnded: "会话已结束，请重新拨号。",
  smsInbox: "收到的短信", noSms: "还没有短信。", refreshInbox: "刷新", smsCompose: "发送短信",
  smsText: "短信：买 <编号> <数量>、状态 或 取消 <订单号>", smsSend: "发送短信", smsReply: "回复：{text}",
  smsNoReply: "未发送回复。号码超出短信额度时，每分钟只提醒一次，其余短信不予回复。",
  presaleChoice: "预售（现付定金，收成后付尾款）", presaleTerms: "预售条款",
  depositPercent: "定金比例（价格的 %，1–50）", harvestFrom: "收成开始", harvestTo: "收成截止",
  balanceWindowHours: "收成后支付尾款的时限（小时，1–720）", allocation: "收成不足时",
  "alloc_pro-rata": "按比例分配", "allocHow_pro-rata": "每笔订单按订购量获得相同比例。",
  "alloc_first-come": "先到先得", "allocHow_first-come": "最早的订单优先全额分配。",
  grade: "等级（可选，如 特级）", unitWeightGrams: "单件重量（克，可选）", weightTolerancePercent: "重量误差 %（0–20，需填单件重量）",
  presaleBadge: "预售", gradeIs: "等级 {grade}", harvestWindow: "收成期：{dates}",
  depositNow: "现付定金：每件 {deposit}，收成后付尾款", depositTerms: "定金 {percent}%：每件 {deposit}",
  forecast: "预估产量", deposits: "已收定金", declareTitle: "收成", harvestQuantity: "实际收成（件）",
  declareHarvest: "申报收成", harvestDeclared: "已申报收成：{declared}（{time}）",
  sharesTitle: "各订单的分配", orderCol: "订单", orderedCol: "订购", allocatedCol: "分配",
  ordered: "已订购", allocatedOfDeclared: "已分配 / 收成", balancesPaid: "已付尾款", balancesOutstanding: "待付尾款",
  forfeitedOrders: "定金没收", refundedOrders: "全额退款", countOf: "{n} / {total}",
  offerAnotherGrade: "提议换成其他等级", substituteGrade: "提议的等级", substituteQuantity: "数量（最多 {cut}）", offerSubstitute: "发送提议",
  noOtherGrade: "没有其他已申报收成且有余量的等级。", substituteOffered: "已提议：{quantity} × {lot}，有效至 {time}。",
  substituteTitle: "其他等级", substituteOffer: "卖家提议改为 {quantity} × {lot}，每件 {price}；请在 {time} 前答复",
  acceptSubstitute: "接受并下单", declineSubstitute: "拒绝", substituteOrder: "查看新订单",
  substitute_accepted: "您已接受 {quantity} × {lot}，已生成新订单。", substitute_declined: "您已拒绝卖家提议的 {quantity} × {lot}。",
  substitute_expired: "卖家提议的 {quantity} × {lot} 已于 {time} 过期。",
  presaleTitle: "预售进度", tlOrdered: "已订购：{n} 件", tlDepositPaid: "已付定金：{amount}", tlDepositDue: "应付定金：{amount}",
  tlAllocated: "收成已分配：{allocated} / {ordered}", tlBalanceLater: "收成后支付尾款",
  tlBalanceDue: "尾款 {amount}，请在 {time} 前支付", tlBalancePaid: "已付尾款：{amount}",
};

export type Language = "en" | "zh-CN";
const dictionaries: Record<Language, Record<Key, string>> = { en, "zh-CN": zhCN };

export let language: Language =
  (localStorage.getItem("flashsale.language") as Language | null) ?? (navigator.language.startsWith("zh") ? "zh-CN" : "en");

export function setLanguage(next: Language) {
  language = next;
  localStorage.setItem("flashsale.language", next);
  document.documentElement.lang = next;
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

/** A translation for a value from the API (a status, a method, a problem code), with a fallback. */
export function tv(prefix: string, value: string, fallback: Key = "error_other"): string {
  const key = `${prefix}${value.replace("awaiting-payment", "awaiting_payment")}` as Key;
  return key in en ? t(key) : t(fallback, { code: value });
}

export function money(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(language, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** A countdown such as 9:58 or 1:02:03, the same width in both languages. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  const mmss = `${String(m).padStart(h ? 2 : 1, "0")}:${String(s).padStart(2, "0")}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** A span of days such as "Dec 10 – 20" or "12月10日至20日", in the reader's time zone. */
export function dayRange(from: string, to: string): string {
  // formatRange is in every browser the client supports; the ES2020 typings predate it.
  const format = new Intl.DateTimeFormat(language, { day: "numeric", month: "short" }) as Intl.DateTimeFormat & { formatRange(a: Date, b: Date): string };
  return format.formatRange(new Date(from), new Date(to));
}

export function dateTime(iso: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

document.documentElement.lang = language;
