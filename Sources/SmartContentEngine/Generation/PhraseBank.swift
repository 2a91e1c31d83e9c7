import SmartContentDomain

/// The phrases the offline generator builds sentences from. `{t}` is the sentence's focus:
/// the topic, a keyword, or a list of keywords.
///
/// A sentence is `[opener] subject verb object [, connective].`, an instruction, an
/// example, a question, a paragraph's topic sentence, an introduction or a closing. Every
/// part is written so that any combination is grammatical whatever the focus is: the focus
/// never stands where a verb must agree with it (it may be singular or plural), nothing
/// ends on a preposition, and subjects are singular (their verbs end in -s).
///
/// The phrases live in Swift rather than in a resource file so that the generator works
/// from a single copied binary: a missing resource bundle would stop generation at run time.
enum PhraseBank {
    // MARK: Shared by every tone

    /// Singular noun phrases that carry the focus.
    static let subjectsWithFocus = [Phrase]([
        "a clear plan for {t}", "a weekly review of {t}", "the work behind {t}", "a small experiment with {t}",
        "every decision about {t}", "a shared definition of {t}", "the team that owns {t}",
        "a short checklist for {t}", "an honest look at {t}", "steady progress on {t}", "a simple dashboard for {t}",
        "each conversation about {t}", "a modest budget for {t}", "a pilot project built around {t}",
        "good documentation of {t}", "the first month with {t}", "a single owner for {t}", "early feedback on {t}",
        "a realistic timeline for {t}", "a careful look at the costs of {t}", "practical training on {t}",
        "a regular demo of {t}", "a written goal for {t}", "a quarterly retrospective on {t}",
        "a fresh perspective on {t}", "a common vocabulary for {t}",
    ])

    /// Singular noun phrases without the focus.
    static let subjects = [Phrase]([
        "a clear goal", "a short feedback loop", "a small, focused team", "honest measurement", "shared ownership",
        "a steady rhythm of small releases", "every experiment", "careful planning", "a well-chosen first project",
        "regular feedback from customers", "a habit of writing things down", "open communication",
        "a culture of curiosity", "a clear division of responsibilities", "patient leadership",
        "a single source of truth", "a monthly check-in with stakeholders", "a short written brief",
        "a calm, predictable routine", "an agreed definition of done",
    ])

    /// Third-person singular verbs, each ready for an object.
    static let verbs = [Phrase]([
        "supports", "improves", "shapes", "strengthens", "protects", "simplifies", "encourages", "brings focus to",
        "makes room for", "gives structure to", "adds clarity to", "creates space for", "puts a spotlight on",
        "feeds into", "helps with", "matters for", "makes a difference to", "adds momentum to",
        "lays the groundwork for", "builds confidence in", "sets the pace for", "keeps the focus on", "pays off in",
        "opens the door to", "brings new energy to", "strengthens the case for", "takes pressure off",
        "sets clear expectations for", "prepares the ground for", "brings out the best in",
    ])

    /// Noun phrases that carry the focus, which may be a list.
    static let objectsWithFocus = [Phrase]([
        "{t}", "the way your team handles {t}", "better decisions about {t}", "every project that touches {t}",
        "the next step with {t}", "a shared view of {t}", "the results of {t}", "the daily work around {t}",
        "the long-term value of {t}", "the questions people ask about {t}", "real progress on {t}",
        "the everyday side of {t}", "the budget for {t}", "the trade-offs in {t}", "the first experiments with {t}",
        "the conversation about {t}",
    ])

    /// Noun phrases without the focus.
    static let objects = [Phrase]([
        "daily work", "results you can measure", "the decisions that matter", "faster feedback", "clearer priorities",
        "steady improvement", "a calmer workload", "better conversations with customers", "the next quarter",
        "customer trust", "the team's confidence", "long-term growth", "the quality of the work", "stronger habits",
        "the plan as a whole", "what customers actually see", "collaboration across teams",
        "the weekly planning meeting", "the onboarding of new colleagues", "the budget conversation",
    ])

    /// Clauses that follow a statement after a comma.
    static let connectives = [Phrase]([
        "because it connects strategy to daily work", "which keeps everyone aligned",
        "so the next project starts where the last one ended", "especially when deadlines are tight",
        "as long as someone owns the result", "while keeping the budget predictable",
        "and the effect usually shows within a month", "which makes trade-offs visible early",
        "even in a busy quarter", "without adding another meeting", "once the first results arrive",
        "long before anyone asks for a report", "so fewer decisions get stuck", "which new colleagues appreciate",
        "at least in the teams we have seen", "even when plans change", "and that adds up over a year",
        "which is easy to underestimate", "because small wins are easier to repeat", "so progress stays visible",
        "which saves time later", "as long as the goal stays simple", "so everyone knows what comes next",
        "before small problems grow", "and customers notice the difference", "which keeps the work honest",
        "even with a small team", "so nobody has to guess", "and the habit sticks", "which pays for itself quickly",
        "as the first results show", "without a large budget",
    ])

    /// What a paragraph is about, for its topic sentence.
    static let themes = [Phrase]([
        "the first steps with {t}", "the goals behind {t}", "how to measure progress on {t}",
        "the people side of {t}", "the real costs of {t}", "common mistakes with {t}", "the tools that support {t}",
        "the long-term view of {t}", "the risks around {t}", "the habits that make {t} stick",
        "what success with {t} looks like", "the role of leadership in {t}", "making room for {t} in existing work",
        "the questions customers ask about {t}", "budgeting for {t}", "the lessons teams learn from {t}",
    ])

    /// Short stories that follow an example's introduction.
    static let examples = [Phrase]([
        "a team of five reviewed {t} every Friday and cut rework within a month",
        "one retailer tried {t} in a single store and rolled it out after six weeks",
        "a small agency wrote down its rules for {t} and halved the time spent on handovers",
        "a support team tracked {t} for a quarter and found two problems nobody had noticed",
        "one product group added a short note on {t} to every release, and questions dropped sharply",
        "a nonprofit tested {t} with ten volunteers before asking the whole organization to change",
        "a startup made one person responsible for {t} and finally saw steady progress",
        "a finance team reviewed {t} monthly instead of yearly and caught issues much earlier",
        "a school district piloted {t} in two classrooms and shared the lessons with every teacher",
        "a logistics company linked {t} to one clear metric and saw it improve within a quarter",
        "a design studio ran a one-day workshop on {t} and came away with a plan everyone supported",
        "a family business asked its customers about {t} and changed its approach within a week",
    ])

    /// Openers about the target audience, `{t}` standing for the audience.
    static let audienceOpeners = [Phrase](["For {t},", "Among {t},"])

    // MARK: Per tone

    static func voice(_ tone: Tone) -> Voice {
        switch tone {
        case .professional: professional
        case .casual: casual
        case .friendly: friendly
        case .formal: formal
        case .humorous: humorous
        case .persuasive: persuasive
        case .informative: informative
        case .enthusiastic: enthusiastic
        }
    }

    /// Every tone's openers, longest first: refine strips them before it writes another tone's.
    static let allOpeners: [String] = {
        let texts = Tone.allCases.flatMap { voice($0).openers.map(\.head) }
        return Array(Set(texts)).sorted { $0.count > $1.count }
    }()
}

/// What makes a tone: its own openers, connectives, instructions, examples, questions,
/// topic sentences, introductions, closings, calls to action, titles and email frame.
struct Voice: Sendable {
    /// Sentence adverbials; each ends with a comma, a colon or "that", and a lower-case
    /// subject follows.
    let openers: [Phrase]
    let connectives: [Phrase]
    /// Verbs in the imperative (or a tone's equivalent) ready for an object with the focus.
    let instructions: [Phrase]
    /// Introduce an example: a lower-case clause follows.
    let exampleIntroductions: [Phrase]
    let questions: [Phrase]
    /// A paragraph's topic sentence, `{t}` standing for a theme.
    let topicSentences: [Phrase]
    let introductions: [Phrase]
    let closings: [Phrase]
    let callsToAction: [Phrase]
    /// `{t}` stands for the topic in title case.
    let titles: [Phrase]
    let greeting: String
    let signOff: String
    /// Ends some statements with "!" instead of ".".
    let exclaims: Bool
}

extension PhraseBank {
    static let professional = Voice(
        openers: .init([
            "In practice,", "For most teams,", "Over time,", "As a rule,", "In our experience,", "Equally important,",
            "At the same time,", "From the start,", "Put simply,", "In many organizations,", "Beyond that,",
            "Just as importantly,", "Experience shows that", "It is worth remembering that",
        ]),
        connectives: .init([
            "which gives leaders a clearer picture", "provided the goal is written down",
            "as most experienced managers will confirm", "which reduces rework across teams",
        ]),
        instructions: .init([
            "Start with {t}", "Review {t}", "Write down {t}", "Keep an eye on {t}", "Plan for {t}", "Invest in {t}",
            "Agree early on {t}", "Focus on {t}",
        ]),
        exampleIntroductions: .init(["For example,", "Consider a simple case:", "As an illustration,"]),
        questions: .init([
            "What does good practice with {t} look like?", "How do you know whether your work on {t} is paying off?",
            "Where should a team start with {t}?",
        ]),
        topicSentences: .init([
            "Consider {t}.", "Turn next to {t}.", "It pays to think carefully about {t}.",
            "A useful next step is to look at {t}.", "Another area worth attention: {t}.",
            "Experienced teams spend time on {t}.", "Few teams regret investing time in {t}.",
        ]),
        introductions: .init([
            "Teams that want predictable results are paying closer attention to {t}.",
            "Few subjects deserve a clear plan as much as {t}.",
            "More and more organizations now treat {t} as a practical priority.",
            "Getting {t} right starts with a few sound decisions.",
            "This guide looks at {t} and at what it takes to make it work.",
        ]),
        closings: .init([
            "In short, steady and deliberate work on {t} pays off.",
            "The next step is simple: pick one goal for {t} and review it in thirty days.",
            "Treat {t} as an ongoing practice, and the results will follow.",
        ]),
        callsToAction: .init([
            "Contact our team to plan your next step with {t}.", "Book a short consultation and put {t} to work.",
            "Download the checklist and start with {t} this week.",
        ]),
        titles: .init(["A Practical Guide to {t}", "{t}: A Practical Guide", "Getting {t} Right",
                       "What Every Team Should Know About {t}"]),
        greeting: "Hello,", signOff: "Best regards,\nThe team", exclaims: false)

    static let casual = Voice(
        openers: .init([
            "Honestly,", "Look,", "Here's the thing:", "To be fair,", "Sure,", "And yes,", "Real talk:", "Basically,",
            "No surprise here:", "Long story short,", "Turns out", "Between us,", "You'll notice that", "Chances are",
        ]),
        connectives: .init([
            "and honestly, that's the whole trick", "which is pretty handy", "no fancy tools needed",
            "and it's less work than it sounds",
        ]),
        instructions: .init([
            "Just start with {t}", "Try to keep tabs on {t}", "Don't overthink {t}", "Take a quick look at {t}",
            "Have a go at {t}", "Play around with {t}",
        ]),
        exampleIntroductions: .init(["Picture this:", "Here's one:", "Quick example:"]),
        questions: .init([
            "So what does {t} actually change day to day?", "Why bother with {t} at all?",
            "What's the catch with {t}?", "Where do you even start with {t}?",
        ]),
        topicSentences: .init([
            "Now, let's talk about {t}.", "Next up: {t}.", "Let's get into {t}.", "Okay, time for {t}.",
            "So, what about {t}?", "Let's not skip {t}.", "Quick detour into {t}.",
        ]),
        introductions: .init([
            "Let's be honest: everyone talks about {t}, and few people explain it well.",
            "So you've been hearing a lot about {t} lately.", "Here's a quick, no-nonsense take on {t}.",
            "If you've been meaning to look into {t}, you're in good company.",
            "Let's talk about {t} without the buzzwords.",
        ]),
        closings: .init([
            "That's the gist of {t}, so go give it a try.", "Start small with {t}, keep what works, and drop what doesn't.",
            "And that's really all there is to getting started with {t}.",
        ]),
        callsToAction: .init([
            "Give {t} a try this week and see what happens.", "Hit reply and tell us how {t} is going for you.",
            "Grab the free guide and get rolling with {t}.",
        ]),
        titles: .init(["Let's Talk About {t}", "{t}, Explained Without the Jargon", "A No-Nonsense Look at {t}"]),
        greeting: "Hey there,", signOff: "Cheers,\nThe team", exclaims: false)

    static let friendly = Voice(
        openers: .init([
            "Happily,", "Good news:", "As many of you know,", "Step by step,", "With a little patience,",
            "Best of all,", "We've found that", "It turns out that", "You might be glad to hear that",
            "From what we have seen,", "Little by little,", "Here's a nice thing:", "We think", "Along the way,",
        ]),
        connectives: .init([
            "and we're always glad to lend a hand", "which makes the whole team feel included",
            "one small step at a time", "and it's lovely to watch",
        ]),
        instructions: .init([
            "Take a moment to look at {t}", "Feel free to explore {t}", "Try chatting with your team about {t}",
            "Make time for {t}", "Gently revisit {t}", "Ask a colleague to share their view on {t}",
        ]),
        exampleIntroductions: .init(["Here's a story we love:", "For instance,", "One team we know shows how it works:"]),
        questions: .init([
            "Have you wondered where {t} fits into your week?", "What would make {t} easier for your team?",
            "How could {t} make your days a little lighter?",
        ]),
        topicSentences: .init([
            "Let's look together at {t}.", "We'd like to share a few thoughts on {t}.", "Now let's chat about {t}.",
            "Let's spend a moment on {t}.", "Here's what we've learned about {t}.", "Let's talk kindly about {t}.",
        ]),
        introductions: .init([
            "We're so glad you're here to explore {t} with us.", "Today we're taking a friendly look at {t}.",
            "Let's explore {t} together, one step at a time.",
            "Whether you're new to {t} or a seasoned hand, there's something here for you.",
            "We love talking about {t}, and we think you will too.",
        ]),
        closings: .init([
            "We'd love to hear how your journey with {t} goes.",
            "Take it one step at a time with {t}, and celebrate every small win.", "Thanks for exploring {t} with us today.",
        ]),
        callsToAction: .init([
            "Join our community and share your experience with {t}.",
            "Reach out anytime, and we'll help you get started with {t}.",
            "Sign up for our newsletter for more friendly tips on {t}.",
        ]),
        titles: .init(["A Friendly Guide to {t}", "Exploring {t} Together", "Your First Steps With {t}"]),
        greeting: "Hi there,", signOff: "Warm wishes,\nThe team", exclaims: false)

    static let formal = Voice(
        openers: .init([
            "Accordingly,", "Furthermore,", "In this regard,", "It should be noted that", "As a matter of principle,",
            "Consequently,", "In most cases,", "Moreover,", "For this reason,", "It is worth noting that",
            "On balance,", "In addition,", "It follows that", "Under these circumstances,",
        ]),
        connectives: .init([
            "provided that responsibilities are clearly assigned", "in accordance with agreed objectives",
            "subject to periodic review", "which supports sound governance",
        ]),
        instructions: .init([
            "It is advisable to review {t}", "Organizations should document {t}", "It is prudent to assess {t}",
            "Management should regularly examine {t}", "Stakeholders should agree on {t}",
        ]),
        exampleIntroductions: .init(["By way of illustration,", "To illustrate,", "For instance,"]),
        questions: .init([]),
        topicSentences: .init([
            "Attention now turns to {t}.", "The following paragraphs concern {t}.", "It is appropriate to examine {t}.",
            "A further matter for consideration: {t}.", "This section addresses {t}.",
            "Due regard must also be given to {t}.",
        ]),
        introductions: .init([
            "This document examines {t} and its implications for organizations.",
            "The subject of {t} merits careful consideration.",
            "The following sections set out the principal considerations regarding {t}.",
            "Organizations are increasingly required to take a considered position on {t}.",
        ]),
        closings: .init([
            "In conclusion, deliberate planning and consistent execution are essential to {t}.",
            "Organizations that approach {t} with rigour will be well placed for the years ahead.",
            "The considerations above should inform any decision concerning {t}.",
        ]),
        callsToAction: .init([
            "Please contact us to arrange a consultation on {t}.", "Further information on {t} is available on request.",
            "We invite you to register for our briefing on {t}.",
        ]),
        titles: .init(["{t}: Principles and Considerations", "An Examination of {t}", "{t}: A Structured Approach"]),
        greeting: "Dear reader,", signOff: "Yours sincerely,\nThe team", exclaims: false)

    static let humorous = Voice(
        openers: .init([
            "Plot twist:", "Believe it or not,", "Against all odds,", "Spoiler alert:", "Not to be dramatic, but",
            "Fun fact:", "Surprisingly,", "In a shocking twist,", "Rumour has it that", "Nobody tells you this, but",
            "It sounds too simple, but", "Brace yourself:", "Somewhere, a spreadsheet is crying because",
            "Hold on to your coffee:",
        ]),
        connectives: .init([
            "and nobody has to pretend to enjoy spreadsheets", "which is more than most meetings can claim",
            "no cape required", "and the coffee machine will thank you",
        ]),
        instructions: .init([
            "Resist the urge to ignore {t}", "Treat yourself to a fresh look at {t}",
            "Bribe your team with snacks to talk about {t}", "Give a standing ovation to {t}",
            "Stop pretending to understand {t}", "Make friends with {t}",
        ]),
        exampleIntroductions: .init(["True story:", "Exhibit A:", "Case in point:"]),
        questions: .init([
            "Who knew {t} could be this entertaining?",
            "Who would have guessed that people get this excited about {t}?",
            "What's the worst that could happen with {t}?",
        ]),
        topicSentences: .init([
            "Next up: {t}, which is more fun than it sounds.", "Time to talk about {t}, no lab coat required.",
            "Buckle up for {t}.", "Now for the part nobody puts on a poster: {t}.", "Let's poke at {t} for a minute.",
            "Meanwhile, in the land of {t}, things get interesting.",
        ]),
        introductions: .init([
            "Believe it or not, talking about {t} beats a spreadsheet on a Friday afternoon.",
            "Grab a coffee, because we're about to make {t} surprisingly entertaining.",
            "Nobody ever threw a party for {t}, but maybe somebody should.",
            "Here's a guide to {t} that won't put you to sleep.",
        ]),
        closings: .init([
            "And that, friends, is how you win at {t} without breaking a sweat.",
            "Go forth and conquer {t}, and maybe take a snack.",
            "Now you know more about {t} than most people at the next dinner party.",
        ]),
        callsToAction: .init([
            "Click the button before your inner procrastinator talks you out of {t}.",
            "Sign up now, because {t} won't learn itself.", "Try {t} today, and blame us if you have too much fun.",
        ]),
        titles: .init(["The Surprisingly Fun Side of {t}", "{t} Without the Yawns", "How to Love {t} (Really)"]),
        greeting: "Hi there,", signOff: "Stay awesome,\nThe team", exclaims: false)

    static let persuasive = Voice(
        openers: .init([
            "Make no mistake:", "The truth is,", "Here's why it matters:", "Simply put,", "Consider this:",
            "Without a doubt,", "The evidence is clear:", "Think about it:", "Right now,",
            "The teams that win know that", "There's no question that", "Above all,", "Crucially,", "Let's be clear:",
        ]),
        connectives: .init([
            "and the teams that act now will feel it first", "which is exactly why waiting costs more",
            "and your competitors already know it", "so there's no reason to delay",
        ]),
        instructions: .init([
            "Don't wait to invest in {t}", "Commit now to {t}", "Prioritize {t}", "Stop postponing {t}",
            "Double down on {t}", "Take ownership of {t}",
        ]),
        exampleIntroductions: .init(["Look at the results:", "Consider the proof:", "Here's what happens when you act:"]),
        questions: .init([
            "How much is hesitation on {t} costing you?", "Can you afford to fall behind on {t}?",
            "What would your team achieve with {t} done right?",
        ]),
        topicSentences: .init([
            "Now think about {t}.", "Don't overlook {t}.", "Here's where it gets serious: {t}.",
            "Winning teams get {t} right.", "Never underestimate {t}.", "Look closely at {t}.",
        ]),
        introductions: .init([
            "Now is the moment to take {t} seriously.",
            "If you've been waiting for a sign to invest in {t}, this is it.",
            "The case for {t} has never been stronger.",
            "The organizations that master {t} will set the pace for everyone else.",
        ]),
        closings: .init([
            "The best time to commit to {t} was last year, and the second best time is today.",
            "Don't let another quarter pass without a plan for {t}.",
            "Make {t} a priority now, and your future self will thank you.",
        ]),
        callsToAction: .init([
            "Start your free trial today and see what {t} can do.", "Act now and make {t} your competitive advantage.",
            "Book your demo of {t} today, before your competitors do.",
        ]),
        titles: .init(["Why You Should Care About {t}", "Why {t} Can't Wait", "The Case for {t}"]),
        greeting: "Hello,", signOff: "To your success,\nThe team", exclaims: false)

    static let informative = Voice(
        openers: .init([
            "In fact,", "Typically,", "On average,", "According to most practitioners,", "Notably,", "In general,",
            "As a result,", "Historically,", "For context,", "Research suggests that", "Data from many teams shows that",
            "In most organizations,", "As a general principle,", "Studies consistently find that",
        ]),
        connectives: .init([
            "according to many practitioners", "as several industry surveys suggest",
            "which is consistent with common experience", "in most documented cases",
        ]),
        instructions: .init([
            "It helps to review {t}", "Practitioners recommend tracking {t}", "Teams often start by mapping {t}",
            "It is useful to compare {t}", "Experts suggest documenting {t}",
        ]),
        exampleIntroductions: .init(["For instance,", "In one documented case,", "As an example,"]),
        questions: .init([
            "What does {t} mean in practice?", "Why is so much attention going to {t}?",
            "How do teams measure progress on {t}?",
        ]),
        topicSentences: .init([
            "This section covers {t}.", "The next point concerns {t}.", "Let us turn to {t}.",
            "An essential aspect to understand: {t}.", "Much has been written about {t}.",
            "The following points concern {t}.",
        ]),
        introductions: .init([
            "This overview explains what {t} involves and why it matters.", "Here are the essential facts about {t}.",
            "Understanding {t} starts with a few basic ideas.", "This article summarizes current thinking on {t}.",
        ]),
        closings: .init([
            "In summary, {t} works best with clear goals, regular feedback and patience.",
            "These basics provide a solid foundation for further work on {t}.",
            "With these points in mind, you can approach {t} with confidence.",
        ]),
        callsToAction: .init([
            "Visit our resource library to learn more about {t}.", "Read our detailed guide for more on {t}.",
            "Subscribe for regular updates on {t}.",
        ]),
        titles: .init(["{t}: An Overview", "Understanding {t}", "The Essentials of {t}"]),
        greeting: "Hello,", signOff: "Kind regards,\nThe team", exclaims: false)

    static let enthusiastic = Voice(
        openers: .init([
            "Best of all,", "Even better,", "Here's the exciting part:", "Get this:", "Amazingly,", "Better still,",
            "It's thrilling to see that", "We love that", "Just imagine:", "Incredibly,", "Wonderfully,",
            "The best news is that", "Guess what:", "Here's the fun part:",
        ]),
        connectives: .init([
            "and the results are amazing", "which is incredibly exciting", "and it only gets better from there",
            "and that's a huge win",
        ]),
        instructions: .init([
            "Go ahead and explore {t}", "Dive into {t}", "Celebrate {t}", "Jump right into {t}", "Get excited about {t}",
            "Throw yourself into {t}",
        ]),
        exampleIntroductions: .init(["Check this out:", "Here's a favourite:", "Get this:"]),
        questions: .init([
            "Isn't it exciting to see {t} take off?", "Who's ready to explore {t}?",
            "Can you feel the energy around {t}?",
        ]),
        topicSentences: .init([
            "Now for the exciting part: {t}!", "Let's dive into {t}!", "Get ready for {t}!",
            "We're thrilled to talk about {t}!", "Time to celebrate {t}!", "Here comes the best bit: {t}!",
        ]),
        introductions: .init([
            "We can't wait to share everything we love about {t}!", "Get ready to discover what {t} can do for you!",
            "There has never been a more exciting time to explore {t}!",
            "Let's dive headfirst into the wonderful world of {t}!",
        ]),
        closings: .init([
            "The future of {t} is bright, and we can't wait to see what you do with it!",
            "Go make something amazing with {t}!", "We're cheering you on as you take your next step with {t}!",
        ]),
        callsToAction: .init([
            "Jump in today and start your adventure with {t}!", "Sign up now and let's make {t} happen together!",
            "Get started today and see how far {t} can take you!",
        ]),
        titles: .init(["Everything Exciting About {t}", "Why We Love {t}", "Get Ready for {t}!"]),
        greeting: "Hi everyone,", signOff: "Talk soon,\nThe team", exclaims: true)
}
