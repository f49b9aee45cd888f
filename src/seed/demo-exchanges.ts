import type { MemberActor } from '../access/actor.js';
import { ExchangesService } from '../exchanges/exchanges.service.js';
import { ListingsService } from '../listings/listings.service.js';
import { DisputeOutcome, ExchangeRole } from '../exchanges/models/exchange-enums.js';
import { Exchange, ExchangePayload } from '../exchanges/models/exchange.models.js';
import { ListingKind, ListingNature, PricingUnit } from '../listings/models/listing-enums.js';
import { CommunitiesService } from '../communities/communities.service.js';

/** The demo people by first name, as the system acting for them (the seed is not a login). */
export type DemoActors = Record<'coordinator' | 'minji' | 'jiho' | 'seoyeon' | 'hyun', MemberActor>;

export const actingAs = (memberId: string): MemberActor => ({
  kind: 'member',
  memberId,
  isAdmin: false,
  sessionId: null,
  viaPartnerAppId: null,
  withinCommunityId: null,
});

function made(payload: ExchangePayload): Exchange {
  if (!payload.exchange) throw new Error(`demo seed: ${payload.userErrors.map((error) => error.code).join(', ')}`);
  return payload.exchange;
}

/**
 * Listings in Korean and English, and an exchange in each state a newcomer should see: proposed,
 * accepted (held), delivered, confirmed and reviewed, cancelled, disputed, resolved, expired (a
 * minute after the first start), and a group settled as one batch. All of it through the same
 * services, rules and ledger as the API.
 */
export async function seedDemoExchanges(
  communityId: string,
  people: DemoActors,
  services: { listings: ListingsService; exchanges: ExchangesService; communities: CommunitiesService },
): Promise<void> {
  const { listings, exchanges, communities } = services;
  const offer = async (
    who: MemberActor,
    title: string,
    description: string,
    category: string,
    price: bigint,
    extra: { nature?: ListingNature; quantity?: number } = {},
  ) => {
    const { listing } = await listings.create(who, {
      communityId,
      kind: ListingKind.OFFER,
      nature: extra.nature ?? ListingNature.SERVICE,
      title,
      description,
      category,
      pricing: extra.nature === ListingNature.GOODS ? PricingUnit.FIXED : PricingUnit.PER_HOUR,
      price,
      quantity: extra.quantity,
      district: 'Mapo-gu',
    });
    return listing!;
  };
  const bikeRepair = await offer(
    people.jiho,
    '자전거 수리해요',
    '펑크 수리, 체인 교체, 브레이크 조정. Bicycle repairs of every kind.',
    'repairs',
    60n,
  );
  const english = await offer(
    people.minji,
    'English conversation practice',
    '영어 회화 연습, an hour at a café near Hapjeong station.',
    'teaching',
    60n,
  );
  const kimchi = await offer(people.seoyeon, '김장 김치 나눔', 'Homemade kimchi, one jar each.', 'goods', 30n, {
    nature: ListingNature.GOODS,
    quantity: 5,
  });
  await offer(
    people.hyun,
    '컴퓨터 설정 도와드려요',
    'Help setting up a phone or a computer. 休日も大丈夫です.',
    'computers',
    60n,
  );
  await listings.create(people.minji, {
    communityId,
    kind: ListingKind.REQUEST,
    nature: ListingNature.SERVICE,
    title: 'Someone to walk my dog on Saturdays',
    description: '토요일 아침 강아지 산책',
    category: 'care',
    pricing: PricingUnit.PER_HOUR,
    price: 60n,
    district: 'Mapo-gu',
  });

  const propose = async (
    receiver: MemberActor,
    listingId: string,
    estimatedAmount: bigint,
    description: string,
    quantity?: number,
  ) => made(await exchanges.propose(receiver, { listingId, estimatedAmount, description, quantity }));
  const accepted = async (acceptor: MemberActor, exchange: Exchange) =>
    made(await exchanges.accept(acceptor, { exchangeId: exchange.id }));
  const delivered = async (provider: MemberActor, exchange: Exchange, actualAmount: bigint) =>
    made(await exchanges.markDelivered(provider, { exchangeId: exchange.id, actualAmount }));

  // Proposed: Hyun asks Minji for an hour of English.
  await propose(people.hyun, english.id, 60n, 'Before my job interview, please');
  // Accepted: Seoyeon holds 90 minutes for Jiho's repair.
  await accepted(people.jiho, await propose(people.seoyeon, bikeRepair.id, 90n, 'My rear brake squeaks'));
  // Delivered: Jiho repaired Hyun's puncture in 45 minutes; Hyun has not confirmed yet.
  await delivered(
    people.jiho,
    await accepted(people.jiho, await propose(people.hyun, bikeRepair.id, 60n, 'Flat tyre')),
    45n,
  );
  // Confirmed and reviewed: Minji took two jars of kimchi.
  const kimchiDeal = await delivered(
    people.seoyeon,
    await accepted(people.seoyeon, await propose(people.minji, kimchi.id, 60n, 'Two jars, thank you!', 2)),
    60n,
  );
  made(await exchanges.confirm(people.minji, { exchangeId: kimchiDeal.id, approveAmountAboveHold: false }));
  await exchanges.review(people.minji, { exchangeId: kimchiDeal.id, rating: 5, comment: '정말 맛있어요! Delicious.' });
  await exchanges.review(people.seoyeon, { exchangeId: kimchiDeal.id, rating: 5, comment: 'Lovely to meet you.' });
  // Cancelled: Seoyeon changed her mind about English lessons.
  made(
    await exchanges.cancel(people.seoyeon, {
      exchangeId: (await propose(people.seoyeon, english.id, 60n, 'Business English')).id,
      reason: 'Found a class instead',
    }),
  );
  // Disputed: Hyun says Jiho's chain fix took less than stated.
  const chain = await delivered(
    people.jiho,
    await accepted(people.jiho, await propose(people.hyun, bikeRepair.id, 60n, 'Chain keeps slipping')),
    60n,
  );
  made(await exchanges.dispute(people.hyun, { exchangeId: chain.id, reason: 'It took 20 minutes, not an hour' }));
  // Resolved: a direct exchange without a listing, disputed, settled in part by the coordinator.
  const moving = made(
    await exchanges.propose(people.minji, {
      communityId,
      counterpartyId: people.jiho.memberId,
      role: ExchangeRole.RECEIVER,
      estimatedAmount: 120n,
      description: 'Help carrying boxes on moving day',
    }),
  );
  await delivered(people.jiho, await accepted(people.jiho, moving), 120n);
  made(await exchanges.dispute(people.minji, { exchangeId: moving.id, reason: 'He left after an hour' }));
  made(
    await exchanges.resolveDispute(people.coordinator, {
      exchangeId: moving.id,
      outcome: DisputeOutcome.POST_PART,
      amount: 60n,
      reason: 'Both agree it was one hour',
    }),
  );
  // Expiring: a hold given a minute, so that a minute after the first start the demo shows a lapsed exchange too.
  const holdFor = (holdTimeoutSeconds: number, reason: string) =>
    communities.updatePolicies(people.coordinator, { communityId, policies: { holdTimeoutSeconds }, reason });
  await holdFor(60, 'Demo: the next hold lapses after a minute');
  await accepted(
    people.hyun,
    await propose(
      people.seoyeon,
      (await offer(people.hyun, '노트북 빌려드려요', 'A laptop to borrow for a day.', 'goods_lending', 60n)).id,
      60n,
      'For my online exam',
    ),
  );
  await holdFor(7 * 24 * 3600, 'Demo: holds last a week again');
  // A group: Minji's English class for three; two took their places, and the class settled as one batch.
  const englishClass = await exchanges.proposeGroup(people.minji, {
    listingId: english.id,
    receiverIds: [people.jiho.memberId, people.seoyeon.memberId, people.hyun.memberId],
    estimatedAmount: 60n,
    description: 'Saturday English class',
  });
  for (const place of englishClass.exchanges.slice(0, 2))
    await accepted(place.receiverId === people.jiho.memberId ? people.jiho : people.seoyeon, place);
  await exchanges.settleGroup(people.minji, { groupId: englishClass.group!.id, actualAmount: 60n });
}
