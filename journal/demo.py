"""A realistic demo journal: the Rivera family and their son's behavior analyst.

    journal = write_demo_journal(Path("/tmp/demo.tandem"))    # passphrase "demo"

About three months before `today`: Maya and Daniel Rivera, whose son Sam
(5, autistic) is in a home ABA program and speech therapy, and Dr. Lee Chen,
the BCBA who supervises it. Near-daily check-ins, ABC incidents, weekly
session notes, goals with data, threads, resources and a session schedule.
Every record is written as its real author at its real (past) time.

The content is fixed; `seed` varies the everyday numbers (sleep, counts,
meals, the noise in the data), so a given seed and `today` always give the
same journal. All people, places and events are invented.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from journal.journal import Journal

DEMO_PASSPHRASE = "demo"
"""The passphrase of the demo journal (Maya's slot)."""

CHILD = "Sam"
TITLE = "Sam's journal"


# --- the people and the journal page -----------------------------------------------

PAGE = {
    "interests": (
        "Trains (Percy most of all, then Thomas). The garbage truck on Thursday mornings. "
        "Water play and bubbles. 'Wheels on the Bus' and anything with a countdown. Spinning "
        "in the office chair. Lining up his cars by color along the windowsill."
    ),
    "strengths": (
        "Remembers routes and lets you know (by pointing, loudly) when you take a different "
        "way home. Knows all his letters and numbers to 30. Very affectionate with family: "
        "bear hugs, forehead to forehead. Great at imitating songs and sound effects. Patient "
        "with puzzles; will do the same 24-piece train puzzle five times in a row."
    ),
    "avoid": (
        "Hand dryers in public bathrooms (bring the ear defenders). Touching his head without "
        "warning, and that includes hats. A flat 'no' with nothing to do instead: tell him what "
        "he CAN do. The vacuum while he's in the room. Clothes with tags or stiff seams. "
        "Surprise visitors at bedtime."
    ),
}

MAYA_PROFILE = {
    "background": (
        "Sam's mom. I work mornings at the public library three days a week, so I do most "
        "pickups and most of the home practice. Before Sam's diagnosis last year I had never "
        "heard of ABA; I'm learning as we go and I ask a lot of questions."
    ),
    "values": (
        "That Sam is happy and feels safe. I want him to be able to tell us what he needs, "
        "not to look 'typical'. I would rather we go slowly than push him into meltdowns."
    ),
    "what_works": (
        "Singing the instruction (he follows a song before a sentence). Giving him a job. "
        "Small Percy as a reward, never big Percy: putting big Percy away ends in tears. "
        "Warnings with the timer, and saying what comes next."
    ),
    "contact_times": "Messages any time; calls after 19:30 when he's asleep.",
}

DANIEL_PROFILE = {
    "background": (
        "Sam's dad. Electrician; my shifts rotate, so some weeks I'm home afternoons and some "
        "weeks I'm gone all night. I do bath and bedtime when I'm home, and Saturday mornings "
        "are ours: hardware store, then the park."
    ),
    "values": (
        "Straight talk. If something isn't working, tell me, and tell me what to do instead. "
        "Safety first (cars, water, the street), everything else after that."
    ),
    "what_works": (
        "Rough-and-tumble play before asking him to do something hard. Counting down from "
        "five on my fingers. He'll do almost anything for a ride on my shoulders."
    ),
    "contact_times": "Weekends. Weekdays depend on my shift; check the session calendar.",
}

LEE_PROFILE = {
    "background": (
        "Board Certified Behavior Analyst (BCBA), nine years, mostly with preschoolers. I "
        "supervise Sam's home program and do the weekly parent-training sessions; Jordan, his "
        "RBT, runs the direct sessions on Mondays, Wednesdays and Fridays. Sam also sees Priya "
        "(speech) at the clinic on Thursdays, and we share targets."
    ),
    "values": (
        "Assent first: if Sam says no with his body, we stop and change the task instead of "
        "pushing through. You are the experts on your child; my job is to give you tools that "
        "fit your real evenings, not an ideal week. Data over impressions, mine included."
    ),
    "what_works": (
        "Short, playful trials. Letting him lead with trains and then 'borrowing' his game for "
        "targets. He warms up faster if I arrive while he is already playing."
    ),
    "contact_times": (
        "Weekdays 8:00-17:00. I answer journal threads within one working day. For anything "
        "urgent about safety, call the clinic."
    ),
}


# --- goals ---------------------------------------------------------------------------

GOALS: dict[str, dict[str, Any]] = {
    "instructions": {
        "title": "Follows one-step instructions at home",
        "domain": "communication",
        "measure": "percent",
        "description": (
            "Does a one-step instruction said once in a normal voice ('get your shoes', "
            "'give me the cup', 'sit down') within 5 seconds, without a gesture."
        ),
        "method": (
            "Mastered in his clinic program last fall. Now probed every other week at home: "
            "10 mixed instructions woven into play, praise and back to what he was doing."
        ),
        "desired_outcome": (
            "Keeps following everyday instructions from both parents, at home and at preschool."
        ),
        "owner": "both",
        "setting": "Home and preschool",
        "status": "maintenance",
    },
    "requesting": {
        "title": "Requests preferred items with 2-3 word phrases",
        "domain": "communication",
        "measure": "percent",
        "description": (
            "Uses a 2-3 word phrase ('more bubbles', 'open please', 'I want Percy') to ask for "
            "an item or activity in view, without echoing the adult's whole sentence. One word, "
            "or pulling an adult to the item, does not count."
        ),
        "method": (
            "Incidental teaching and set-ups: favorite things in sight but out of reach, "
            "bubbles that 'won't open'. Wait 5 s with an expectant look; if nothing, model the "
            "phrase once; hand it over right away for any closer try. Prompts fade from a full "
            "model to the first word only ('more...') to none. Shared target with speech."
        ),
        "desired_outcome": (
            "Sam can ask for what he wants so anyone understands him, at home, preschool and "
            "Abuela's, without pulling people or screaming."
        ),
        "owner": "both",
        "setting": "Home (snack, bath, play) and sessions",
        "status": "baseline",
    },
    "transitions": {
        "title": "Transitions away from favorite activities with a visual timer",
        "domain": "behavior",
        "measure": "percent",
        "criterion_value": 80.0,
        "description": (
            "When the 2-minute visual timer ends and an adult says 'all done, first ___ then "
            "___', Sam leaves the activity within 1 minute without dropping to the floor, "
            "screaming for more than 10 s, hitting or kicking. Counted per transition."
        ),
        "method": (
            "Visual timer shown at 2 minutes and at 30 seconds; first-then board with a photo "
            "of what comes next; a 'transition train' to carry. Praise and a sticker for each "
            "calm transition. If he drops: stay close and calm, restate first-then once, no new "
            "demands. 80% chosen on purpose: a few hard transitions a week are normal at five."
        ),
        "desired_outcome": (
            "Leaving the park, getting out of the bath and ending iPad time without a meltdown "
            "on most days."
        ),
        "owner": "both",
        "setting": "Home, Linden Park, sessions",
        "status": "baseline",
    },
    "walking": {
        "title": "Stays with an adult in parking lots and stores",
        "domain": "behavior",
        "measure": "percent",
        "criterion_value": 100.0,
        "description": (
            "Walks from the car to the store entrance and back with a hand in an adult's hand "
            "or on the cart, and stops within 2 s when an adult says 'stop'. Counted per walk "
            "or segment; moving more than an arm's length away is an error."
        ),
        "method": (
            "The 'hand on the cart' job: Sam holds the cart from the car to the door. 'Stop' "
            "practiced as a game at home (red light, green light) five times a day, then in "
            "the driveway, then in the lot at quiet times. Big praise, and he returns the cart "
            "to the corral at the end, which is his favorite part."
        ),
        "desired_outcome": "Safe in parking lots with either parent, every time.",
        "owner": "both",
        "setting": "Fairview Market, Target, the preschool lot",
        "status": "baseline",
    },
    "toothbrushing": {
        "title": "Brushes teeth following a 6-step picture strip",
        "domain": "daily living",
        "measure": "percent",
        "description": (
            "Steps: 1 wet the brush, 2 pea-size toothpaste, 3 brush top teeth, 4 brush bottom "
            "teeth, 5 spit, 6 rinse and put the brush in the cup. Data: steps done on his own "
            "(no touch, no pointing) out of 6."
        ),
        "method": (
            "Forward chaining with most-to-least prompts: hand-over-hand for steps he can't do "
            "yet, fading to a touch at the elbow, then pointing at the picture. The 2-minute "
            "'brush your teeth' song on the speaker. No electric brush until steps 1-4 are his."
        ),
        "desired_outcome": (
            "Brushes with a parent nearby by the summer, and lets the dentist look in his mouth."
        ),
        "owner": "parent",
        "setting": "Home bathroom, evenings",
        "status": "baseline",
    },
    "help": {
        "title": "Asks for help with a word instead of crying",
        "domain": "communication",
        "measure": "percent",
        "criterion_value": 80.0,
        "description": (
            "When stuck (a lid, a zipper, a toy that won't go), says 'help' or 'help please', "
            "or hands the item over while signing HELP, before crying or throwing it."
        ),
        "method": (
            "Five set-up 'stuck' moments per session (goldfish in a tight jar, Percy in a "
            "zipped bag). Model 'help' at the first sign of frustration, before the crying "
            "starts, and help right away and cheerfully. Help card on the fridge at home."
        ),
        "desired_outcome": "Fewer meltdowns over things he can't open: he knows asking works.",
        "owner": "both",
        "setting": "Home and sessions",
        "status": "acquisition",
    },
    "turns": {
        "title": "Takes turns in a simple game",
        "domain": "play",
        "measure": "duration",
        "description": (
            "Minutes he stays in a turn-taking game (Candy Land, rolling a ball, Don't Break "
            "the Ice) with one adult or his cousin Mateo, waiting for his turn without grabbing "
            "or leaving."
        ),
        "method": (
            "Baseline for now: the same games three times a week; start a stopwatch when the "
            "game starts and stop it when he leaves or grabs twice. No prompts beyond "
            "'my turn, your turn'."
        ),
        "desired_outcome": "Plays a short board game with Mateo at Sunday dinner.",
        "owner": "both",
        "setting": "Home, Sunday dinners at Abuela's, clinic",
        "status": "baseline",
    },
}


# --- check-ins -----------------------------------------------------------------------

MOOD_WORDS = {
    1: ("miserable", "sick and sad"),
    2: ("cranky", "fragile", "wound up", "frustrated", "clingy"),
    3: ("okay", "so-so", "tired", "up and down", "fine", "quiet"),
    4: ("happy", "chatty", "silly", "easygoing", "good", "bouncy"),
    5: ("giddy", "delighted", "sunny", "proud of himself"),
}

MEALS = (
    "Waffle, banana, chicken nuggets, white rice, yogurt pouch",
    "Cheerios (dry), apple slices, buttered pasta, cheese stick",
    "Toast with peanut butter, goldfish, rice and chicken, strawberries",
    "Pancake, peeled grapes, plain cheese quesadilla, rice",
    "Oatmeal, nuggets and fries, applesauce pouch",
    "Waffle, crackers, mac and cheese, banana",
    "Scrambled egg (two bites), toast, rice and beans (rice only)",
    "Yogurt, pretzels, fish sticks, corn",
    "Banana bread, turkey sandwich (the bread), buttered noodles, milk",
    "Cereal bar, grapes, chicken and rice, a few blueberries",
)
REFUSED = (
    "green beans",
    "anything the sauce touched",
    "spiral pasta (a new shape)",
    "broccoli",
    "chicken with grill marks",
    "soup",
    "cooked carrots (raw ones are fine)",
    "the sandwich once it was cut into triangles",
    "orange slices",
    "peas",
)
TOILETING = (
    "Dry all day",
    "One accident at school (too busy playing)",
    "Used the potty before bath without a reminder",
    "Dry at nap, wet pull-up in the morning",
    "Pulled me to the bathroom when he needed to go",
    "Two accidents, both while on the iPad",
)


@dataclass
class Day:
    """A check-in of a particular day of the story."""

    title: str
    body: str
    mood: int
    author: str = "maya"  # maya | daniel
    fields: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    at: str = "21:10"


# Days of the story, relative to the first session (day 0, a Tuesday).
SPECIAL_DAYS: dict[int, Day] = {
    -2: Day(
        "First entry",
        "Starting this journal because Lee asked us to jot down sleep, food and the hard "
        "moments every evening before we meet. Lunch at Abuela Rosa's today: he ate rice and "
        "nothing else and spent most of the visit lining up her coasters. Happy, though.",
        4,
        tags=("food",),
    ),
    0: Day(
        "Lee's first visit",
        "Lee came for the intake. Sam hid behind the couch for the first ten minutes and then "
        "showed her every single train. He was wiped out afterwards and fell asleep on the "
        "couch at 19:40, so bedtime was a mess. Relieved it went well.",
        4,
        fields={"routine_changes": "First home visit from Lee (90 min)"},
    ),
    5: Day(
        "Parking lot scare",
        "He got away from me in the Fairview Market lot. Wrote it up as an incident. He was "
        "fine the rest of the day, I was not.",
        3,
        author="daniel",
        fields={"elopement": 1},
        tags=("elopement", "safety"),
        at="20:40",
    ),
    9: Day(
        "He said 'open'!",
        "Doing the bubbles trick Lee showed us, he handed me the jar and said 'opeh'. Clear "
        "enough for me. I opened it so fast I spilled half of it.",
        5,
        fields={"new_words": "'open' (for the bubbles)"},
        tags=("words",),
    ),
    12: Day(
        "Meltdown leaving the park",
        "Big one at Linden Park when it was time to go (see the incident). He was sweet all "
        "evening after, like nothing happened.",
        2,
        fields={"aggression": 2},
        tags=("transitions",),
    ),
    15: Day(
        "Abuela Rosa is staying with us",
        "Grandma is here until Sunday, sleeping on the air mattress in his room. He keeps "
        "checking that she's still there in the morning. Bedtime was later than usual because "
        "he wanted to show her his whole car line.",
        4,
        fields={"routine_changes": "Grandma staying with us till Sunday; shares his room"},
        at="21:55",
    ),
    18: Day(
        "'Mama up'",
        "At the bottom of the stairs tonight he put his arms out and said 'Mama up'. Two "
        "words! Abuela cried. I may have too.",
        5,
        fields={"new_words": "'Mama up'", "wins": "First two-word phrase without a model"},
        tags=("words",),
    ),
    19: Day(
        "Runny nose",
        "Starting a cold. Slower morning, lots of tissues he refuses to let me use. Still went "
        "to school.",
        3,
        fields={"illness": "Runny nose, mild cough, no fever"},
        tags=("illness",),
    ),
    20: Day(
        "Coughing at night",
        "Up coughing a lot. Kept him home. He watched the same train video about forty times "
        "and I let him.",
        2,
        fields={"illness": "Cough worse at night, no fever yet"},
        tags=("illness",),
        at="20:30",
    ),
    21: Day(
        "Fever, session cancelled",
        "38.4 at 6 a.m. Cancelled with Lee. Pediatrician's nurse said it sounds viral: fluids, "
        "rest, ibuprofen if he's miserable. He is miserable.",
        1,
        fields={"illness": "Fever 38.4 in the morning, 37.9 at night; ibuprofen twice"},
        tags=("illness",),
    ),
    22: Day(
        "Rough afternoon",
        "Fever came back after his nap and he hit his own head when I tried to give him the "
        "medicine (incident written up). Took it in applesauce later.",
        1,
        fields={
            "illness": "Fever 38.6 after nap; ibuprofen in applesauce",
            "self_injury": 1,
        },
        tags=("illness",),
    ),
    23: Day(
        "Better",
        "No fever since yesterday afternoon. Ate two waffles. Back to bossing us around.",
        3,
        author="daniel",
        fields={"illness": "No fever since yesterday, still coughing"},
        tags=("illness",),
    ),
    24: Day(
        "Movie day",
        "Fever gone, energy not back. We watched the train movie twice under a blanket fort "
        "and he ate a whole bowl of rice, the first real meal in three days.",
        3,
        fields={"illness": "No fever today; cough, low energy"},
        tags=("illness",),
    ),
    25: Day(
        "Back to school",
        "First day back. Teacher says he was tired and sat with her a lot, but no tears.",
        3,
        fields={"illness": "Just the cough left"},
    ),
    26: Day(
        "'Juice please'",
        "Walked into the kitchen, looked at the fridge and said 'juice please'. Nobody "
        "prompted him. Daniel heard it from the garage and came running.",
        5,
        fields={"new_words": "'juice please'"},
        tags=("words",),
    ),
    27: Day(
        "Starting melatonin",
        "Dr. Patel suggested melatonin since it has been taking him an hour or more to fall "
        "asleep for months. First dose tonight at 19:30. He chewed it like candy.",
        4,
        fields={
            "medication": (
                "Melatonin 1 mg chewable, started today at 19:30 (Dr. Patel, pediatrician). "
                "Watching how long he takes to fall asleep and the night wakings."
            )
        },
        tags=("sleep", "melatonin"),
    ),
    33: Day(
        "Spring break, day one",
        "No school all week. I took Monday and Tuesday off. Without the bus routine he asked "
        "'bus?' four times before lunch. We made a picture schedule for the week with the park, "
        "the library and the car wash.",
        3,
        fields={"routine_changes": "Spring break: no preschool all week"},
        tags=("routine",),
    ),
    36: Day(
        "MORE BUBBLES",
        "See the win. Best day in a while.",
        5,
        fields={"new_words": "'more bubbles'"},
        tags=("words",),
    ),
    40: Day(
        "Haircut",
        "Barber trip did not go well (incident). We finished with scissors only. He has a "
        "crooked fringe and I have a scratch on my arm.",
        2,
        author="daniel",
        fields={"aggression": 1},
        tags=("haircut",),
        at="19:45",
    ),
    41: Day(
        "Melatonin, two weeks in",
        "Falling asleep about 20 minutes after lights out instead of an hour plus. Still up "
        "once most nights but goes back down.",
        4,
        fields={
            "medication": (
                "Melatonin 1 mg at 19:30, no change. Asleep in about 20 min (was 60-90)."
            )
        },
        tags=("sleep", "melatonin"),
    ),
    44: Day(
        "'Help'",
        "Goldfish jar at snack time: he pushed it at me and said 'help!'. Then did it again "
        "with the sticker book and the bath toy net. We are drowning in helps and I love it.",
        5,
        fields={"new_words": "'help' (3 times, all on his own)"},
        tags=("words",),
    ),
    46: Day(
        "Daniel's first night shift",
        "Daniel on nights for two weeks. He left at 18:30 in the middle of dinner and Sam kept "
        "looking at the door. Bedtime took forever.",
        2,
        fields={"routine_changes": "Daniel on night shifts for two weeks (out 18:30-07:00)"},
        tags=("night-shift", "routine"),
        at="21:40",
    ),
    48: Day(
        "Long night",
        "Up at 1, at 3 and at 5. At 5 he was done sleeping. Grumpy at breakfast, threw his "
        "waffle on the floor twice.",
        2,
        fields={"aggression": 2},
        tags=("sleep", "night-shift"),
    ),
    52: Day(
        "Bath time without Daddy",
        "Bath is Daniel's job and Sam knows it. It went badly tonight (incident). After the "
        "bath we looked at the photo of Daddy at work and he calmed down.",
        2,
        fields={"aggression": 3},
        tags=("night-shift", "bedtime"),
        at="21:50",
    ),
    55: Day(
        "Grumpy mornings",
        "Third morning in a row he's been really hard to wake and grumpy until the bus. "
        "Wondering about the melatonin (asked Lee).",
        2,
        fields={"questions": "Could the melatonin be why he's so grumpy in the mornings?"},
        tags=("sleep", "melatonin"),
    ),
    58: Day(
        "Melatonin down to half",
        "Called Dr. Patel's office about the mornings. We're trying 0.5 mg for two weeks.",
        3,
        fields={
            "medication": (
                "Melatonin lowered to 0.5 mg from tonight (pediatrician's advice, for the "
                "morning grogginess). Check again in two weeks."
            )
        },
        tags=("sleep", "melatonin"),
    ),
    59: Day(
        "Last night shift",
        "Last one tonight. Took him to the hardware store this afternoon before I left, hand "
        "on the cart the whole way. He asked 'Daddy home?' when I put my boots on.",
        3,
        author="daniel",
        fields={"new_words": "'Daddy home?'"},
        tags=("night-shift",),
        at="17:45",
    ),
    60: Day(
        "Back to normal, mostly",
        "Daniel back on days. Sam climbed into his lap at breakfast and stayed there. Calmer "
        "evening than we've had in two weeks.",
        4,
        fields={"routine_changes": "Daniel back on day shifts"},
        tags=("routine",),
    ),
    62: Day(
        "Substitute teacher",
        "Ms. Alvarez is out all week. He cried at drop-off and held on to the door frame. The "
        "substitute sent a note saying he settled after snack.",
        2,
        fields={"routine_changes": "Substitute teacher at preschool all week"},
        tags=("school", "routine"),
    ),
    66: Day(
        "Mateo's birthday party",
        "He ran from the singing but STOPPED when I called (incident + win). We left after "
        "cake. Headphones in the car and he was fine.",
        4,
        fields={"elopement": 1},
        tags=("elopement", "party"),
        at="20:15",
    ),
    69: Day(
        "Dentist",
        "First dentist visit where he opened his mouth for the mirror. We brought the picture "
        "strip and the hygienist played along with it. Sticker AND a new toothbrush.",
        5,
        fields={"wins": "Opened his mouth for the dentist; sat in the chair the whole time"},
        tags=("toothbrushing",),
    ),
    71: Day(
        "'My turn'",
        "Rolling the ball back and forth with Daniel and he said 'my turn!' when Daniel held "
        "on to it too long. Didn't grab it, said it.",
        4,
        fields={"new_words": "'my turn'"},
        tags=("words", "play"),
    ),
    77: Day(
        "'Bye Lee'",
        "He waved and said 'bye Lee' at the door. She pretended not to be moved. Good session "
        "at the park.",
        5,
        fields={"new_words": "'bye Lee'"},
        tags=("words",),
    ),
    80: Day(
        "Kindergarten registration",
        "Registered him for kindergarten in the fall. The school wants an IEP meeting in May. "
        "I'm nervous about it; asked Lee what we should bring.",
        3,
        fields={
            "routine_changes": "Kindergarten registration; IEP meeting coming in May",
            "questions": "Can you help us prepare for the IEP meeting?",
        },
        tags=("school",),
    ),
    83: Day(
        "'I want Percy'",
        "Full sentence, three words, in the toy aisle. I bought Percy number two. Worth it.",
        5,
        fields={"new_words": "'I want Percy'"},
        tags=("words",),
    ),
}


@dataclass(frozen=True)
class Ordinary:
    """An everyday check-in that fits any day from `after` on (with the constraints given)."""

    title: str
    body: str
    mood: int
    after: int = -99
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    school: bool = False  # a preschool day: a weekday, not in spring break or the sick week
    fields: dict[str, Any] = field(default_factory=dict)


MAYA_DAYS: tuple[Ordinary, ...] = (
    Ordinary(
        "Quiet Monday",
        "Drop-off was easy; he walked in holding his backpack straps like the big kids. Trains "
        "on the rug all afternoon and a long bath.",
        4,
        weekdays=(0,),
        school=True,
    ),
    Ordinary(
        "Tired but okay",
        "Woke up grumpy and stayed a little grumpy. Ate his waffle in two bites and asked for "
        "another by handing me the plate.",
        3,
    ),
    Ordinary(
        "Rainy day inside",
        "Too wet for the park. We built the wooden track around the whole coffee table; he got "
        "upset when the bridge kept falling but let me help after a minute.",
        3,
    ),
    Ordinary(
        "Good report from school",
        "Ms. Alvarez wrote in his folder that he sat through the whole circle time and did the "
        "motions to 'Five Little Ducks'.",
        4,
        school=True,
    ),
    Ordinary(
        "Meh",
        "Nothing special. Lots of spinning in the office chair after school, which usually "
        "means he needs to move, so we did two laps of the block on the scooter.",
        3,
    ),
    Ordinary(
        "Hard afternoon",
        "He fell apart after pickup and screamed most of the way home. No idea what set it off. "
        "Snack, weighted blanket, and he was himself again by five.",
        2,
        school=True,
    ),
    Ordinary(
        "Story time at my library",
        "Took him to toddler story time before my shift. He stayed on the carpet for two books, "
        "then did laps around the picture-book shelves, but came back for the songs.",
        4,
        school=True,
    ),
    Ordinary(
        "Short grocery trip",
        "Just milk and bananas. He held the cart from the car to the door and carried the "
        "bananas to the checkout himself. Very proud.",
        4,
        after=10,
    ),
    Ordinary(
        "Long day",
        "Traffic made pickup late, so dinner was late and he was hungry and cranky. Short bath. "
        "Asleep fast, at least.",
        2,
        school=True,
    ),
    Ordinary(
        "Garbage truck day",
        "At the window from 7:10 until the truck came at 7:40, narrating the whole thing. The "
        "driver waved back and Sam squealed and flapped.",
        5,
        weekdays=(3,),
    ),
    Ordinary(
        "Mateo came over",
        "Cousin Mateo for an hour. Side-by-side play mostly, Sam with the trains and Mateo with "
        "the blocks, but they shared the snack bowl without any grabbing.",
        4,
    ),
    Ordinary(
        "Fire drill at school",
        "Teacher says he cried at the fire alarm test but got through it with his headphones "
        "on. Quiet and clingy tonight.",
        3,
        school=True,
    ),
    Ordinary(
        "Didn't want to get out of the bath",
        "Lots of splashing and 'no no no'. I drained it slowly and he climbed out when the "
        "water was gone. Timer didn't help tonight.",
        2,
        after=15,
    ),
    Ordinary(
        "Swings",
        "Twenty-five minutes on the swings after school. He said 'push' before I started the word.",
        4,
        after=20,
        fields={"new_words": "'push'"},
    ),
    Ordinary(
        "Picky, picky",
        "Refused dinner entirely. Ate dry cereal at 18:30 instead. I'm picking my battles.",
        3,
    ),
    Ordinary(
        "Good listening day",
        "Got his shoes, put his cup in the sink and brought me the remote, all when asked once. "
        "Sometimes I forget how much he understands.",
        4,
        school=True,
    ),
    Ordinary(
        "Sticker chart",
        "He now checks the sticker chart after every transition. Four stickers today, one "
        "meltdown at iPad time.",
        4,
        after=16,
    ),
    Ordinary(
        "Off day",
        "Whiny from wake-up to bedtime. Teeth? Growth spurt? Who knows. Lots of cuddles.",
        2,
    ),
    Ordinary(
        "Car wash",
        "Went through the car wash twice because he asked 'again' with the sign. Cheapest "
        "reinforcer we have.",
        5,
    ),
    Ordinary(
        "Toothbrushing battle",
        "Fought the toothbrush tonight, clamped his mouth shut. We skipped the top teeth. Will "
        "try the song earlier tomorrow.",
        2,
        after=10,
    ),
    Ordinary(
        "Nice evening",
        "Dinner at the table, all four courses of rice. Bath with no drama. Read the Percy book "
        "three times and he filled in the last word of every page.",
        4,
    ),
    Ordinary(
        "Library again",
        "He knows where the train books are now and goes straight there. Picked two, pulled me "
        "to the checkout desk by the hand.",
        4,
    ),
    Ordinary(
        "Played with the help card",
        "He carried the help card around all afternoon and handed it to me even when nothing "
        "was stuck. I helped anyway. Lee said that's fine for now.",
        4,
        after=29,
    ),
    Ordinary(
        "Sunday dinner at Abuela's",
        "Too many people, too loud. We stayed an hour and left before dessert. He did say 'bye' "
        "to everyone at the door with a little prompting.",
        3,
    ),
    Ordinary(
        "New shoes",
        "Velcro shoes, same brand, same color as the old ones. He still noticed and refused "
        "them for ten minutes. Wore them to school in the end.",
        3,
    ),
    Ordinary(
        "Timer is working",
        "Used the visual timer to leave the playground and he just... came. Walked to the car "
        "holding his transition train. I didn't believe it.",
        5,
        after=18,
        fields={"wins": "Left the playground calmly with the timer"},
    ),
    Ordinary(
        "Tired day",
        "School had a field trip to the farm. He came home covered in mud and fell asleep in "
        "the car at four. Skipped bath.",
        3,
        school=True,
    ),
    Ordinary(
        "Hitting at dinner",
        "Hit my arm when I moved his plate to wipe the table. I said 'gentle hands', put the "
        "plate back, and he finished eating. Small thing but noting it.",
        3,
    ),
    Ordinary(
        "Singing all day",
        "'Wheels on the Bus' on repeat from breakfast to bedtime, with all the verses and a new "
        "one he made up about the garbage truck.",
        4,
    ),
    Ordinary(
        "Stuck in the car seat",
        "Screamed when the buckle wouldn't come undone. I waited, and he said 'hehp'. Counting it.",
        3,
        after=30,
    ),
    Ordinary(
        "Grumpy after school",
        "Took a long time to settle after pickup. Once he had his snack he asked for 'more "
        "crackers' twice, which made my day.",
        3,
        after=37,
        school=True,
    ),
    Ordinary("Quiet day", "Nothing to report. Which, honestly, is nice.", 4),
    Ordinary(
        "Park with the timer",
        "Two transitions at the park, both calm. He set the timer himself the second time.",
        4,
        after=45,
    ),
    Ordinary(
        "Play-doh",
        "First time he's played with play-doh for more than a minute. Rolled snakes for fifteen "
        "minutes and lined them up, of course.",
        4,
        fields={"new_foods": "Licked a blueberry, then ate it (new!)"},
    ),
    Ordinary(
        "Wobbly",
        "Okay morning, wobbly afternoon. Cried when the iPad died. Recovered with bubbles.",
        3,
    ),
    Ordinary(
        "Brushed top teeth",
        "He did top teeth on his own tonight while I just pointed at the picture.",
        4,
        after=50,
        fields={"wins": "Top teeth with only a point at the picture"},
    ),
    Ordinary(
        "Sleepy morning",
        "Hard to wake, fine once he had breakfast. Good school day.",
        3,
        school=True,
    ),
    Ordinary(
        "Pizza crust",
        "At Mateo's he took a bite of pizza crust off Mateo's plate. Spat it out, but it went "
        "in his mouth. Progress.",
        4,
        fields={"new_foods": "Pizza crust (one bite, spat out)"},
    ),
    Ordinary(
        "Bubbles in the yard",
        "Bubbles after dinner in the back yard. He chased them until it got dark and came in "
        "without a fight when the bottle was empty.",
        4,
    ),
    Ordinary(
        "Small Percy went missing",
        "Forty minutes of searching at bedtime. Found him in the dishwasher. Nobody knows how.",
        2,
    ),
    Ordinary(
        "Pajama standoff",
        "Wouldn't wear the striped pajamas; the blue ones were in the wash. He slept in his "
        "T-shirt. Fine by me.",
        3,
    ),
    Ordinary(
        "Elevator",
        "Rode the library elevator with me eight times on my break. Pressed every button and "
        "said 'up' and 'down' each time.",
        5,
        weekdays=(0, 2, 4),
    ),
    Ordinary(
        "Rough drop-off",
        "Clung to me at the classroom door and Ms. Alvarez had to peel him off. Twenty minutes "
        "later she sent a photo of him at the sand table, happy as anything.",
        3,
        school=True,
    ),
    Ordinary(
        "Puzzle marathon",
        "The train puzzle five times in a row, then he looked at me and said 'new puzzle'. We "
        "don't have a new puzzle. Ordering one.",
        4,
        after=40,
    ),
    Ordinary(
        "Red lights",
        "Cried every time we stopped at a red light on the way to Abuela's. He hates stopping. "
        "The bus song got us the rest of the way.",
        3,
    ),
    Ordinary(
        "Chicken!",
        "Ate three bites of chicken once I scraped the grill marks off. I'm counting it.",
        4,
        fields={"new_foods": "Grilled chicken (3 bites, grill marks scraped off)"},
    ),
    Ordinary(
        "iPad off",
        "Ending iPad time went badly the first time: he threw it on the couch. Second try with "
        "the timer and first-then board went fine.",
        2,
        after=16,
    ),
    Ordinary(
        "Crashing day",
        "Crashing into the couch cushions and jumping on our bed all afternoon. Made him a "
        "pillow pile in the corner to crash into instead, which he approved.",
        3,
    ),
    Ordinary(
        "Easy pickup",
        "Ran to me at pickup holding a painting (purple, all purple). Snack in the car, no tears.",
        4,
        school=True,
    ),
    Ordinary(
        "Bubble bath",
        "Asked for 'bubble bath' with the word and the sign together. Extra bubbles were had.",
        5,
        after=40,
        fields={"new_words": "'bubble bath'"},
    ),
    Ordinary(
        "Pancake chef",
        "He stirred the batter for ten minutes and only flung a little. Ate a whole pancake "
        "because he 'made' it.",
        5,
    ),
    Ordinary(
        "Grey day", "Stayed in. Too much iPad, I know. He was calm and I got the laundry done.", 3
    ),
)

DANIEL_DAYS: tuple[Ordinary, ...] = (
    Ordinary(
        "Saturday",
        "Hardware store and the park. Good boy in the store. Cried leaving the park.",
        3,
        weekdays=(5,),
    ),
    Ordinary(
        "Good Saturday",
        "Pancakes, the hardware store, then the fire station open house. He wore the plastic "
        "helmet all afternoon.",
        5,
        weekdays=(5,),
    ),
    Ordinary(
        "Sunday",
        "Lazy day. Trains, shoulder rides, a bath. He let me wash his hair without screaming.",
        4,
        weekdays=(6,),
    ),
    Ordinary(
        "Rough morning",
        "Woke up at 5:30 ready to go. I was not. He banged on our door until I got up.",
        2,
    ),
    Ordinary(
        "Store with the cart",
        "Did the cart job at the hardware store. Hand on the cart the whole way in and most of "
        "the way out. One try to run at the end, came back when I said stop.",
        4,
        after=14,
    ),
    Ordinary(
        "Bike path",
        "Took him in the bike seat along the river. He pointed at every single dog and said "
        "'dog' each time.",
        5,
        weekdays=(5, 6),
        fields={"new_words": "'dog' (clear, lots of times)"},
    ),
    Ordinary(
        "Washed the car",
        "He held the hose and sprayed mostly me. Happiest he's been all week.",
        5,
        weekdays=(5, 6),
    ),
    Ordinary(
        "Short fuse", "Lots of little meltdowns today, mostly about the iPad. Tired I think.", 2
    ),
    Ordinary(
        "Teeth",
        "Did bottom teeth himself after I showed him once. Top teeth still need my hand.",
        4,
        after=40,
    ),
    Ordinary(
        "Breakfast out",
        "Diner breakfast with Abuela. Sat the whole meal with the iPad and ate a full pancake. "
        "Waitress gave him crayons and he lined them up.",
        4,
        weekdays=(5, 6),
    ),
    Ordinary(
        "Park", "Timer at the park: left when it beeped, took his train. No fuss.", 4, after=30
    ),
    Ordinary(
        "Sunday",
        "Quiet. Built a track around the whole living room. Cleaned up when the song played.",
        4,
        weekdays=(6,),
    ),
    Ordinary(
        "Saturday errands",
        "Bank, hardware store, gas station. Said 'bye' to the lady at the bank. Hand on the "
        "cart in the store, no reminders.",
        4,
        after=14,
        weekdays=(5,),
    ),
    Ordinary(
        "Train museum",
        "Little train museum downtown. Forty minutes at the model railway. Used the timer to "
        "leave and he came, slowly.",
        5,
        after=16,
        weekdays=(5, 6),
    ),
    Ordinary("Sunday pancakes", "He poured the syrup himself. All of it.", 4, weekdays=(6,)),
    Ordinary(
        "Digging", "Dug holes in the yard for an hour. Filthy and happy. Bath took two rounds.", 4
    ),
    Ordinary(
        "Wrong side of the bed",
        "Cried at breakfast, cried at the store, fell asleep in the car and woke up a new kid.",
        2,
    ),
    Ordinary(
        "'Fix'",
        "Percy's wheel came off. He brought it to me and said 'fix'. Fixed it in the garage "
        "while he watched every move.",
        4,
        after=30,
        fields={"new_words": "'fix'"},
    ),
)

# --- sessions ------------------------------------------------------------------------

SESSION_WEEKS = 13  # past weekly sessions, k = 0 .. 12
CANCELLED_WEEK = 3
MOVED_WEEK = 5  # from Tuesday to Thursday
LEE_AT = "15:30"

# Handwritten parts of each session note, by week.
NOTES: dict[int, dict[str, Any]] = {
    0: {
        "title": "Intake visit: observation and baseline probes",
        "setting": "Home (living room, kitchen table)",
        "present": "Sam, Maya, Daniel, Lee",
        "goals": ("instructions", "requesting", "transitions"),
        "targets_note": "Baseline only: no prompting or reinforcement changes yet.",
        "behaviors": (
            "Two tantrums (about 2 and 5 min), both when a preferred item was put away. During "
            "the second he walked toward the front door; redirected with a hand on the "
            "shoulder. No aggression toward adults."
        ),
        "reinforcers": (
            "Percy (strong). Bubbles (strong, but he wants to hold the wand himself). Tickles "
            "(moderate). Goldfish (weak today; he had just eaten)."
        ),
        "parent_training": (
            "Walked through the journal, the goals I'm proposing and what each data sheet "
            "looks like. Explained baseline: for two weeks we count, we don't change anything."
        ),
        "parent_feedback": (
            "Good questions about why we start with requesting rather than 'please' and "
            "'thank you'. Both want parking-lot safety near the top. Agreed."
        ),
        "barriers": "Daniel's rotating shifts; most evening data will be Maya's.",
        "home_assignment": (
            "Write up hard transitions (leaving the park, getting out of the bath) as ABC "
            "incidents: what happened just before, what he did, what happened right after. "
            "No new strategies yet."
        ),
        "next_plan": "Finish baseline. Bring the first-then board and a visual timer.",
        "body": (
            "Good first visit. Sam warmed up after about 20 minutes once I let him line up his "
            "trains on the rug and I narrated. Proposed goals are in the Goals tab; please "
            "read them and tell me in the threads if anything doesn't fit your week."
        ),
    },
    1: {
        "title": "Baseline wrap-up; first-then board; safety plan after Sunday",
        "setting": "Home",
        "present": "Sam, Maya, Lee",
        "goals": ("requesting", "transitions", "walking"),
        "targets_note": "Last baseline probes. Acquisition starts next week.",
        "behaviors": (
            "One drop-to-the-floor when the iPad went away (about 3 min). Otherwise engaged. "
            "Lots of jargon with a few clear words ('car', 'no', 'bubble')."
        ),
        "reinforcers": "Bubbles still strongest. Tried a light-up spinner: strong, keep it.",
        "parent_training": (
            "Talked through Sunday's parking lot incident. Introduced the 'hand on the cart' "
            "job and the red light/green light 'stop' game. Showed the first-then board."
        ),
        "parent_feedback": (
            "Maya ran two rounds of the stop game herself; great energy, keep the 'stop' short "
            "and the praise big."
        ),
        "barriers": "Store trips are usually rushed; suggest one practice trip when it's quiet.",
        "home_assignment": (
            "Stop game 5 times a day. One 'practice' trip to the store this week (no real "
            "shopping). First-then board for getting out of the bath."
        ),
        "next_plan": "Start mand training with bubbles; visual timer at the end of play.",
        "body": (
            "Added the safe-walking goal after Sunday; Daniel's write-up was excellent, exactly "
            "the level of detail I need."
        ),
    },
    2: {
        "title": "Mand training: waiting him out",
        "setting": "Home (kitchen table, then the back yard)",
        "present": "Sam, Maya, Lee",
        "goals": ("instructions", "requesting", "transitions"),
        "targets_note": "Requesting: the 5-second wait is doing the work.",
        "behaviors": (
            "Whined when the bubbles 'didn't open' but no tantrum. One hit to my arm when the "
            "timer ended the first time; calm transitions after that."
        ),
        "reinforcers": "Bubbles (he now says something close to 'open'). Spinner.",
        "parent_training": (
            "Modeled the expectant wait: look, lean in, count five in your head, then model "
            "the phrase once. Maya practiced with snack."
        ),
        "parent_feedback": (
            "Maya is jumping in at about 2 seconds; very natural, we all do it. We practiced "
            "counting on fingers behind the back."
        ),
        "barriers": "Hard to set up opportunities on school mornings; evenings only is fine.",
        "home_assignment": (
            "Three bubble or snack set-ups a day with the 5-second wait. Timer at the end of "
            "iPad time."
        ),
        "next_plan": "Keep mands; start the toothbrushing chain with a picture strip.",
        "body": "Nice session. Maya's observation notes are in her entry.",
    },
    4: {
        "title": "Back after the cold; the 'help' card",
        "setting": "Home",
        "present": "Sam, Maya, Lee",
        "goals": ("instructions", "requesting", "help", "transitions"),
        "targets_note": "Added the 'help' objective under requesting.",
        "behaviors": (
            "Low energy for the first half hour (still coughing). Cried at the tight jar the "
            "first two times before I modeled 'help'; after that, closer tries."
        ),
        "reinforcers": "Goldfish worked today. Bubbles lower than usual (tired?).",
        "parent_training": (
            "Why 'help' now: most of his meltdowns in the log start with something stuck. "
            "Model 'help' at the first whimper, before the crying."
        ),
        "parent_feedback": "Maya asked how often to set up stuck moments; see thread.",
        "barriers": "Sick week set back the transition routine a little; expected.",
        "home_assignment": "Help card on the fridge. Two set-ups a day (jar, zipped bag).",
        "next_plan": "Next week is Thursday (I'm at a training Tuesday). Daniel can come.",
        "body": "He's back to himself by the end. Don't worry about the missed week.",
    },
    5: {
        "title": "Thursday session; Daniel's first observation",
        "setting": "Home (living room)",
        "present": "Sam, Daniel, Lee",
        "goals": ("requesting", "help", "transitions"),
        "targets_note": "Two independent 2-word mands ('more spin', 'open bubble').",
        "behaviors": "No tantrums. One grab of the spinner; gave it back when asked.",
        "reinforcers": "Shoulder rides from Daniel beat everything I brought.",
        "parent_training": (
            "Daniel practiced the wait and the model with shoulder rides: 'up... shoulders'. "
            "Talked about using play he already does as practice time."
        ),
        "parent_feedback": (
            "Daniel got three mands in five minutes. Natural at it; he waits longer than most."
        ),
        "barriers": "Daniel's shifts; we'll keep Thursday as an option when Tuesdays don't work.",
        "home_assignment": "Shoulder rides as a mand opportunity: make him ask for them.",
        "next_plan": "Toothbrushing at the sink next session; bring the picture strip.",
        "body": "Great to meet Daniel properly.",
    },
    6: {
        "title": "Toothbrushing routine at the sink",
        "setting": "Home (bathroom, then kitchen)",
        "present": "Sam, Maya, Lee",
        "goals": ("instructions", "toothbrushing", "requesting", "transitions"),
        "targets_note": "Flat day overall; instruction probe lower than usual (8/10).",
        "behaviors": (
            "Early tantrum (about 6 min) when asked to come to the bathroom. Pushed my hand "
            "away at step 3. Recovered after a break with the spinner."
        ),
        "reinforcers": "The toothbrush song worked better than any toy at the sink.",
        "parent_training": (
            "Forward chaining: do steps 1-2 with him, let him own whatever step he's on, help "
            "with the rest. Prompt from most to least help; never the other way round."
        ),
        "parent_feedback": "Maya's touch-at-the-elbow prompt was just right.",
        "barriers": "Bathroom is small; two adults crowd him. One adult at the sink next time.",
        "home_assignment": "Picture strip on the mirror; record steps done alone, nightly.",
        "next_plan": "Check in on bedtime with Daniel's night shifts starting next week.",
        "body": "A harder day, and that's information too.",
    },
    7: {
        "title": "Night-shift weeks: keeping bedtime steady",
        "setting": "Home",
        "present": "Sam, Maya, Lee",
        "goals": ("requesting", "help", "transitions", "toothbrushing"),
        "targets_note": "Mands steady despite a rough week; transitions dipped.",
        "behaviors": (
            "More hitting this week per the log (mostly at bath and bedtime). In session: one "
            "swipe at Maya when the timer ended; she blocked and restated first-then. Good."
        ),
        "reinforcers": "Photo of Daddy at work as a 'first bath, then call Daddy' reinforcer.",
        "parent_training": (
            "Built a bedtime picture schedule with a 'goodbye Daddy' step and a video call "
            "after pajamas. Rehearsed it once with him."
        ),
        "parent_feedback": "Maya: 'I didn't realize how much of bedtime was Daniel.'",
        "barriers": "Maya alone at bedtime for two weeks; keep the routine short.",
        "home_assignment": "Bedtime schedule every night; video call at the pajamas step.",
        "next_plan": "Parking lot practice at Fairview Market next week, before the evening rush.",
        "body": "Expect a bump in the counts during the shift change; it should pass.",
    },
    8: {
        "title": "Parking lot practice at Fairview Market",
        "setting": "Community: Fairview Market parking lot, then home",
        "present": "Sam, Maya, Lee",
        "goals": ("instructions", "walking", "requesting"),
        "targets_note": "Safe walking: one drift at the cart corral, stopped on the first 'stop'.",
        "behaviors": "No elopement attempts. Covered his ears at a car alarm; kept walking.",
        "reinforcers": "Returning the cart to the corral. Enormous. Keep it as the finale.",
        "parent_training": (
            "Maya ran every walk; I only took data. Practiced the 'stop' from further back "
            "(two arm's lengths) with him holding the cart."
        ),
        "parent_feedback": "Clear, calm 'stop'. Praise came a bit late twice; aim for instant.",
        "barriers": "Busy lot on weekends; keep practice to quiet times for now.",
        "home_assignment": "Two store trips a week with the cart job; log each walk.",
        "next_plan": "Clinic next week to start turn-taking baseline with Jordan.",
        "body": "Very good session. If this holds we can talk about fading the cart.",
    },
    9: {
        "title": "Clinic visit: turn-taking baseline",
        "setting": "Clinic (Brightpath, room 2)",
        "present": "Sam, Maya, Lee, Jordan (RBT)",
        "goals": ("requesting", "help", "transitions", "turns"),
        "targets_note": "New goal: turn-taking, baseline by duration.",
        "behaviors": "Left the game twice to line up the pieces. No tantrums at the clinic.",
        "reinforcers": "The clinic ball pit, used as the break between games.",
        "parent_training": (
            "How to take duration data with the phone stopwatch; what counts as leaving the "
            "game. Jordan showed the 'my turn, your turn' cards."
        ),
        "parent_feedback": "Maya will run the game at Sunday dinner with Mateo.",
        "barriers": "Mateo is only around on Sundays.",
        "home_assignment": "Turn-taking game 3 times a week; stopwatch; no extra prompts.",
        "next_plan": "Back to Fairview Market; plan to fade the cart if the data hold.",
        "body": "Good to see him with Jordan; the clinic routine is solid.",
    },
    10: {
        "title": "Safe walking mastered; next step is fading the cart",
        "setting": "Community: Fairview Market parking lot",
        "present": "Sam, Maya, Lee",
        "goals": ("instructions", "walking", "turns"),
        "targets_note": "Safe walking: third session in a row at 100%. Mastered.",
        "behaviors": "None. He reminded ME to hold his hand at the crosswalk.",
        "reinforcers": "Cart corral, as always. Quick Candy Land at home after.",
        "parent_training": (
            "Plan to fade the cart: hand in hand for the walk in, cart only inside the store. "
            "Keep the 'stop' game going once a day so it stays sharp."
        ),
        "parent_feedback": "Maya ran it perfectly; praise was instant every time.",
        "barriers": "None today.",
        "home_assignment": "Hand-holding (no cart) on the walk in, twice this week.",
        "next_plan": "Transitions at Linden Park next week: the real test.",
        "body": "I've marked the safe-walking goal mastered. Well done, both of you.",
    },
    11: {
        "title": "Transitions at Linden Park",
        "setting": "Community: Linden Park playground",
        "present": "Sam, Maya, Daniel, Lee",
        "goals": ("requesting", "help", "transitions", "turns"),
        "targets_note": "Transitions at or above 80% for the third session in a row.",
        "behaviors": (
            "One protest (dropped to sit for about 20 s) leaving the swings, then walked with "
            "his train. Nothing else."
        ),
        "reinforcers": "Timer plus the transition train; swings as the 'then'.",
        "parent_training": (
            "Daniel led the park exit; we talked about thinning the stickers to every other "
            "transition now that he's consistent."
        ),
        "parent_feedback": "Both parents used the same words, which is exactly why it works.",
        "barriers": "Other kids' parents offering him snacks mid-transition (!).",
        "home_assignment": "Stickers every other calm transition. Keep the timer.",
        "next_plan": "Turn-taking with Candy Land at home; start the IEP summary.",
        "body": "The data meet the criterion; I want one more week before changing status.",
    },
    12: {
        "title": "Turn-taking with Candy Land; IEP prep",
        "setting": "Home (kitchen table)",
        "present": "Sam, Daniel, Lee",
        "goals": ("instructions", "requesting", "help", "transitions", "turns"),
        "targets_note": "Transitions still at criterion at home.",
        "behaviors": (
            "Grabbed the spinner twice in Candy Land, the second time ended the game (about 4 "
            "min in). No other behaviors."
        ),
        "reinforcers": "Moving his gingerbread man himself; the 'my turn' card.",
        "parent_training": (
            "Started the outline of the progress summary for the IEP meeting: current goals, "
            "data graphs, what helps at school. Daniel will ask Ms. Alvarez for her notes."
        ),
        "parent_feedback": "(to finish)",
        "barriers": "",
        "home_assignment": "Candy Land 3x this week, stopwatch.",
        "next_plan": "Decide on transitions status; draft IEP summary together.",
        "body": "Draft; finishing after I've looked at the week's data.",
    },
}


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@dataclass
class Point:
    """A planned measurement."""

    goal: str
    n: int
    by: str
    correct: int | None = None
    total: int | None = None
    value: float | None = None
    prompt: str = ""
    setting: str = ""
    note: str = ""
    at: str = "17:05"


class _Demo:
    """Writes the story into a new journal."""

    def __init__(self, path: Path, passphrase: str, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        first = today - timedelta(days=91)
        while first.weekday() != 1:  # Tuesday
            first += timedelta(days=1)
        self.first = first
        self.days = (today - first).days  # 85..91: days 0 .. days-1 are in the past
        self.journal, _code = Journal.create(
            path,
            title=TITLE,
            name="Maya Rivera",
            role="parent",
            passphrase=passphrase,
            child_name=CHILD,
        )
        self.who: dict[str, str] = {"maya": self.journal.me.id}
        self.goal: dict[str, str] = {}
        self.entry: dict[str, str] = {}
        self.session: dict[int, str] = {}
        self.resource: dict[str, str] = {}
        self._tick = 0

    # --- time ---

    def day(self, n: int) -> date:
        return self.first + timedelta(days=n)

    def local(self, n: int, hm: str) -> str:
        return f"{self.day(n).isoformat()}T{hm}"

    def utc(self, n: int, hm: str) -> str:
        self._tick += 1
        wall = datetime.combine(self.day(n), time.fromisoformat(hm))
        wall = wall.replace(second=self.rng.randrange(60), microsecond=self._tick % 1_000_000)
        return wall.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def next_workday(self, n: int) -> int:
        """The first weekday after day `n` (Lee answers on working days)."""
        n += 1
        while self.day(n).weekday() >= 5:
            n += 1
        return n

    @contextmanager
    def by(self, who: str, n: int, hm: str) -> Iterator[Journal]:
        with self.journal.acting_as(self.who[who], at=self.utc(n, hm)):
            yield self.journal

    def comment(self, target: str, who: str, n: int, hm: str, body: str) -> None:
        with self.by(who, n, hm) as j:
            j.comment(target, body)

    def resolve(self, target: str, who: str, n: int, hm: str) -> None:
        with self.by(who, n, hm) as j:
            j.set_thread_status(target, "resolved")

    # --- the story ---

    def build(self) -> Journal:
        self.people()
        self.goals()
        self.schedule()
        self.resources()
        points = self.plan_data()
        self.record(points)
        self.session_notes(points)
        self.checkins()
        self.incidents()
        self.observations()
        self.wins_and_questions()
        self.threads()
        self.epilogue()
        return self.journal

    def people(self) -> None:
        j = self.journal
        with self.by("maya", -3, "20:40"):
            j.update_info(**PAGE)
            j.update_member(self.who["maya"], **MAYA_PROFILE)
        with self.by("maya", -3, "20:52"):
            self.who["daniel"] = j.add_member("Daniel Rivera", "parent").id
        with self.by("daniel", -2, "22:05"):
            j.update_member(self.who["daniel"], **DANIEL_PROFILE)
        with self.by("maya", -1, "09:05"):
            self.who["lee"] = j.add_member("Dr. Lee Chen", "therapist").id
        with self.by("lee", -1, "12:30"):
            j.update_member(self.who["lee"], **LEE_PROFILE)

    def goals(self) -> None:
        created = {
            "instructions": (0, "20:50"),
            "requesting": (0, "20:55"),
            "transitions": (0, "21:00"),
            "walking": (7, "20:30"),
            "toothbrushing": (7, "20:40"),
            "help": (28, "20:15"),
            "turns": (63, "19:45"),
        }
        for key, (n, hm) in created.items():
            spec = dict(GOALS[key])
            if key == "help":
                spec["parent_id"] = self.goal["requesting"]
            with self.by("lee", n, hm) as j:
                goal = j.add_goal(
                    start_date=self.day(n).isoformat(),
                    review_date=self.day(n + 91 if n < 60 else n + 56).isoformat(),
                    **spec,
                )
            self.goal[key] = goal.id
        for key, n, status in (
            ("walking", 9, "acquisition"),
            ("requesting", 14, "acquisition"),
            ("transitions", 14, "acquisition"),
            ("toothbrushing", 14, "acquisition"),
            ("walking", 70, "mastered"),
        ):
            with self.by("lee", n, "19:00") as j:
                j.edit_goal(self.goal[key], status=status)

    def session_day(self, k: int) -> int:
        return 7 * k + (2 if k == MOVED_WEEK else 0)

    def schedule(self) -> None:
        j = self.journal
        for k in range(SESSION_WEEKS + 3):
            n = 7 * k
            location = "Home"
            if k in (8, 10):
                location = "Fairview Market parking lot (meet by the cart corral)"
            elif k == 9:
                location = "Brightpath clinic, room 2"
            elif k == 11:
                location = "Linden Park playground"
            notes = ""
            if k == 0:
                notes = "Intake and baseline. Both parents if possible."
            if k == 8:
                notes = "10-minute walk-through first, then home for the rest."
            with self.by("lee", min(n - 8, 80) if k else -1, "16:40") as journal:
                session = journal.add_session(
                    self.local(n, LEE_AT), duration_min=90, location=location, notes=notes
                )
            self.session[k] = session.id
            if k == CANCELLED_WEEK:
                with self.by("maya", n, "06:52"):
                    j.set_session_status(session.id, "cancelled")
            elif k == MOVED_WEEK:
                with self.by("lee", n - 5, "11:20"):
                    j.set_session_status(session.id, "moved")
                    moved = j.add_session(
                        self.local(n + 2, "16:00"),
                        duration_min=90,
                        location="Home",
                        notes="Moved from Tuesday (Lee at a training). Daniel joining.",
                    )
                self.session[k] = moved.id
                with self.by("lee", n + 2, "17:35"):
                    j.set_session_status(moved.id, "done")
            elif k < SESSION_WEEKS:
                with self.by("lee", n, "17:05"):
                    j.set_session_status(session.id, "done")

    def resources(self) -> None:
        j = self.journal
        items = [
            (
                "first-then",
                1,
                "The first-then board, and how we'll use it",
                "tip",
                "transitions",
                "",
                "A strip of card with two boxes: FIRST (the thing he has to do) and THEN (the "
                "thing he wants). Put a photo in each, point to it as you say it: 'first bath, "
                "then Percy'. Keep it short: two pictures, no more. Always follow through with "
                "the THEN, even after a rough FIRST: the board only works if he trusts it.",
                [("maya", 2, "08:10"), ("daniel", 4, "09:30")],
            ),
            (
                "cart",
                8,
                "Safe walking: the 'hand on the cart' job",
                "tip",
                "walking",
                "",
                "Give Sam a job from the moment the car door opens: his hand goes on the cart "
                "(or on your car key ring if there's no cart). Say 'hand on the cart' once; "
                "praise every few steps ('great cart driving!'). Practice 'stop' at home as a "
                "game first. In the lot, if he lets go: 'stop', then take his hand and restart "
                "the walk from the car. The cart corral at the end is his reward.",
                [("maya", 8, "13:15"), ("daniel", 9, "07:40")],
            ),
            (
                "toothbrushing",
                15,
                "Toothbrushing picture strip (6 steps)",
                "tip",
                "toothbrushing",
                "",
                "1. Wet the brush. 2. Pea of toothpaste. 3. Top teeth (count to 10). 4. Bottom "
                "teeth (count to 10). 5. Spit. 6. Rinse, brush in the cup.\n\nTape the strip at "
                "his eye level beside the mirror. Point to the picture before you help with "
                "your hands; help less each week. Count a step as his only when you didn't "
                "touch him or point.",
                [("maya", 15, "20:05"), ("daniel", 16, "21:30")],
            ),
            (
                "wait-time",
                45,
                "Why we wait before we prompt",
                "reading",
                "requesting",
                "",
                "A short summary for the team. When we hand Sam what he wants before he tries "
                "to ask, he learns that pointing or pulling works. A 5-second pause with an "
                "expectant look gives him the chance to try; the model only comes after the "
                "pause. It feels long. It is long. Count it on your fingers behind your back.\n"
                "\nIt isn't a test: if he doesn't try, we model the words and give it anyway. "
                "Over weeks we wait a little less for the model and a little more for him.",
                [("maya", 47, "21:45")],
            ),
            (
                "asha",
                50,
                "ASHA: tips for parents on speech and language",
                "link",
                "requesting",
                "https://www.asha.org/public/",
                "Priya (speech) recommended this site from the American Speech-Language-Hearing "
                "Association: plain-language pages on how language grows and ideas for "
                "everyday practice.",
                [],
            ),
        ]
        for key, n, title, kind, goal, url, text, readers in items:
            with self.by("lee", n, "12:20") as journal:
                resource = journal.add_resource(
                    title, url=url, text=text, kind=kind, goal_id=self.goal[goal]
                )
            self.resource[key] = resource.id
            for who, rn, hm in readers:
                with self.by(who, rn, hm):
                    j.acknowledge(resource.id)

    # --- data ---

    def plan_data(self) -> list[Point]:
        rng = self.rng
        points: list[Point] = []
        sessions = [k for k in range(SESSION_WEEKS) if k != CANCELLED_WEEK]

        def noisy(base: int, total: int, low: int = 0, high: int | None = None) -> int:
            value = base + rng.choice((-1, 0, 0, 1))
            return max(low, min(high if high is not None else total, value))

        # Follows instructions (maintenance probes, every other week + two home probes).
        for k in (0, 2, 4, 6, 8, 10, 12):
            correct = 8 if k == 6 else rng.choice((9, 10, 10))
            points.append(
                Point("instructions", self.session_day(k), "lee", correct, 10, prompt="independent")
            )
        for n, who in ((30, "maya"), (60, "daniel")):
            points.append(
                Point(
                    "instructions",
                    n,
                    who,
                    rng.choice((9, 10)),
                    10,
                    prompt="independent",
                    setting="home",
                    at="18:30",
                )
            )

        # Requesting (10 trials a session, prompts fading).
        base = {0: 1, 1: 2, 2: 2, 4: 3, 5: 4, 6: 4, 7: 5, 8: 5, 9: 6, 10: 7, 11: 7, 12: 8}
        for k in sessions:
            prompt = "" if k < 2 else "model" if k < 5 else "verbal" if k < 10 else "independent"
            points.append(
                Point(
                    "requesting",
                    self.session_day(k),
                    "lee",
                    noisy(base[k], 10, high=8),
                    10,
                    prompt=prompt,
                    setting="session",
                )
            )
        for n, correct, prompt in (
            (17, 2, "model"),
            (31, 2, "model"),
            (45, 3, "verbal"),
            (59, 3, "verbal"),
            (73, 4, "independent"),
            (80, 4, "independent"),
        ):
            points.append(
                Point(
                    "requesting",
                    n,
                    "maya",
                    correct,
                    5,
                    prompt=prompt,
                    setting="home, snack time",
                    at="19:20",
                )
            )

        # Asking for help (objective): five set-ups per session.
        for k, correct in zip(range(4, 13), (0, 1, 1, 2, 2, 3, 3, 3, 3), strict=True):
            points.append(
                Point(
                    "help",
                    self.session_day(k),
                    "lee",
                    correct,
                    5,
                    prompt="model" if k < 8 else "verbal",
                    setting="session",
                )
            )
        for n, correct in ((38, 1), (67, 3)):
            points.append(
                Point("help", n, "maya", correct, 5, prompt="verbal", setting="home", at="19:00")
            )

        # Transitions: criterion (80%) met in the last three sessions.
        counts = {
            0: (1, 5),
            1: (2, 5),
            2: (2, 5),
            4: (3, 5),
            5: (3, 6),
            6: (4, 6),
            7: (3, 5),
            8: (4, 6),
            9: (5, 6),
            10: (5, 6),
            11: (6, 7),
            12: (5, 6),
        }
        for k in sessions:
            correct, total = counts[k]
            prompt = "" if k < 2 else "gestural" if k < 8 else "verbal"
            points.append(
                Point(
                    "transitions",
                    self.session_day(k),
                    "lee",
                    correct,
                    total,
                    prompt=prompt,
                    setting="session",
                )
            )
        for n, who, correct, total, note in (
            (11, "maya", 1, 3, "Park, bath, iPad"),
            (25, "maya", 1, 3, "Still getting over the cold"),
            (39, "daniel", 2, 3, "Park and hardware store"),
            (53, "maya", 2, 4, "Night-shift week"),
            (66, "maya", 3, 4, "Party day"),
        ):
            points.append(
                Point(
                    "transitions",
                    n,
                    who,
                    correct,
                    total,
                    prompt="gestural",
                    setting="home",
                    note=note,
                    at="20:45",
                )
            )

        # Safe walking: parents' store trips and two community sessions.
        for n, who, correct, total, prompt in (
            (9, "maya", 1, 4, "partial physical"),
            (12, "daniel", 1, 3, "partial physical"),
            (26, "daniel", 2, 4, "partial physical"),
            (33, "maya", 2, 4, "gestural"),
            (40, "daniel", 3, 5, "gestural"),
            (47, "daniel", 3, 4, "gestural"),
            (54, "daniel", 4, 5, "verbal"),
            (56, "lee", 4, 5, "verbal"),
            (61, "daniel", 5, 5, "verbal"),
            (68, "daniel", 4, 4, "independent"),
            (70, "lee", 6, 6, "independent"),
            (82, "daniel", 4, 4, "independent"),
        ):
            setting = (
                "Fairview Market"
                if who == "lee"
                else rng.choice(("Fairview Market", "Target", "hardware store", "preschool lot"))
            )
            points.append(
                Point("walking", n, who, correct, total, prompt=prompt, setting=setting, at="12:15")
            )

        # Toothbrushing: steps done alone out of 6, evenings at home.
        for i, n in enumerate(
            (10, 13, 17, 20, 27, 31, 34, 38, 42, 45, 48, 52, 55, 59, 62, 66, 69, 73, 76, 80, 83)
        ):
            base_steps = 1 + (4 * i) // 21
            if 46 <= n <= 59:
                base_steps -= 1
            steps = noisy(base_steps, 6, low=0, high=5)
            prompt = "full physical" if n < 24 else "partial physical" if n < 48 else "gestural"
            who = "lee" if n == 42 else ("daniel" if i % 3 == 2 else "maya")
            points.append(
                Point(
                    "toothbrushing",
                    n,
                    who,
                    steps,
                    6,
                    prompt=prompt,
                    setting="home bathroom" if who != "lee" else "session",
                    at="19:50" if who != "lee" else "17:05",
                )
            )

        # Turn-taking (baseline, minutes).
        for n, who, minutes, note in (
            (63, "lee", 2.0, "Clinic, Don't Break the Ice"),
            (65, "daniel", 3.5, "Rolling the ball"),
            (68, "maya", 1.5, "Candy Land, tired"),
            (72, "maya", 3.0, "Candy Land"),
            (75, "daniel", 4.5, "Candy Land with Mateo"),
            (77, "lee", 2.5, "Park, ball"),
            (79, "maya", 3.0, ""),
            (84, "lee", 4.0, "Candy Land"),
        ):
            points.append(
                Point(
                    "turns",
                    n,
                    who,
                    value=minutes,
                    prompt="verbal",
                    setting="home" if who != "lee" else "session",
                    note=note,
                    at="17:05" if who == "lee" else "19:30",
                )
            )
        return points

    def record(self, points: list[Point]) -> None:
        for p in sorted(points, key=lambda p: (p.n, p.at)):
            with self.by(p.by, p.n, p.at) as j:
                j.record_measurement(
                    self.goal[p.goal],
                    correct=p.correct,
                    total=p.total,
                    value=p.value,
                    prompt=p.prompt,
                    setting=p.setting,
                    note=p.note,
                    date=self.day(p.n).isoformat(),
                )

    # --- entries ---

    def session_notes(self, points: list[Point]) -> None:
        j = self.journal
        labels = {
            "instructions": "One-step instructions (probe)",
            "requesting": "Requesting, 2-3 words",
            "help": "Asking for help",
            "transitions": "Transitions with timer",
            "walking": "Safe walking",
            "toothbrushing": "Toothbrushing, steps alone",
            "turns": "Turn-taking (duration)",
        }
        for k in range(SESSION_WEEKS):
            if k == CANCELLED_WEEK:
                continue
            note = NOTES[k]
            n = self.session_day(k)
            lines = []
            for p in points:
                if p.n != n or p.by != "lee":
                    continue
                if p.correct is not None and p.total:
                    score = f"{p.correct}/{p.total} ({100 * p.correct / p.total:.0f}%)"
                else:
                    score = f"{p.value:g} min"
                prompt = f", {p.prompt}" if p.prompt else ", no prompts (baseline)"
                lines.append(f"{labels[p.goal]}: {score}{prompt}")
            lines.append(note["targets_note"])
            start = "16:00" if k == MOVED_WEEK else LEE_AT
            end = "17:30" if k == MOVED_WEEK else "17:00"
            fields = {
                "start": start,
                "end": end,
                "setting": note["setting"],
                "present": note["present"],
                "targets": "\n".join(lines),
                "behaviors": note["behaviors"],
                "reinforcers": note["reinforcers"],
                "parent_training": note["parent_training"],
                "parent_feedback": note["parent_feedback"],
                "barriers": note["barriers"],
                "home_assignment": note["home_assignment"],
                "next_plan": note["next_plan"],
            }
            tags = ["parent-training"]
            if "Community" in note["setting"]:
                tags.append("community")
            with self.by("lee", n, "19:10"):
                entry = j.add_entry(
                    "session",
                    note["title"],
                    note["body"],
                    tags=tags,
                    goals=[self.goal[g] for g in note["goals"]],
                    fields={k2: v for k2, v in fields.items() if v},
                    occurred_at=self.local(n, start),
                    session_id=self.session[k],
                )
            self.entry[f"session{k}"] = entry.id
            if k < SESSION_WEEKS - 1:
                with self.by("lee", n if k % 4 else n + 1, "21:05" if k % 4 else "08:40"):
                    j.finalize(entry.id)
        with self.by("lee", self.session_day(6) + 2, "10:15"):
            j.add_addendum(
                self.entry["session6"],
                "Maya let me know on Thursday that Sam had been awake since 4:40 that Tuesday. "
                "That fits the early tantrum and the lower probe (8/10); I'm reading this "
                "session's data as a tired day, not a regression.",
            )

    def fits(self, item: Ordinary, n: int) -> bool:
        """Whether an everyday check-in can be told on day `n`."""
        weekday = self.day(n).weekday()
        if n < item.after or weekday not in item.weekdays:
            return False
        return not item.school or (weekday < 5 and not 19 <= n <= 25 and not 33 <= n <= 39)

    def checkins(self) -> None:
        rng = self.rng
        j = self.journal
        pools = {"maya": list(MAYA_DAYS), "daniel": list(DANIEL_DAYS)}
        for n in range(-2, self.days):
            day = SPECIAL_DAYS.get(n)
            if day is None:
                last = n == self.days - 1
                if not last and rng.random() < 0.1:
                    continue  # a day nobody wrote
                weekend = self.day(n).weekday() >= 5
                night_shift = 46 <= n <= 59
                daniel = last or (weekend and not night_shift and rng.random() < 0.7)
                for author in ("daniel", "maya") if daniel else ("maya",):
                    fits = [item for item in pools[author] if self.fits(item, n)]
                    if fits:
                        break
                else:
                    continue
                item = fits[rng.randrange(len(fits))]
                pools[author].remove(item)
                hm = f"{rng.choice((20, 21, 21, 21))}:{rng.randrange(0, 60, 5):02d}"
                day = Day(item.title, item.body, item.mood, author, dict(item.fields), at=hm)
            fields = self.checkin_fields(n, day)
            with self.by(day.author, n, day.at):
                entry = j.add_entry(
                    "checkin",
                    day.title,
                    day.body,
                    tags=day.tags,
                    fields=fields,
                    occurred_at=self.local(n, day.at),
                )
            self.entry[f"checkin{n}"] = entry.id

    def checkin_fields(self, n: int, day: Day) -> dict[str, Any]:
        rng = self.rng
        sick = 19 <= n <= 25
        night_shift = 46 <= n <= 59
        on_melatonin = n >= 27
        fields: dict[str, Any] = {}
        if on_melatonin:
            bed = 20 * 60 + rng.randrange(0, 45, 5) + (15 if night_shift else 0)
            wakings = rng.choice((0, 0, 0, 1, 1, 2))
        else:
            bed = 20 * 60 + 45 + rng.randrange(0, 65, 5)
            wakings = rng.choice((0, 1, 1, 2, 2, 3))
        if sick or night_shift:
            wakings += rng.choice((0, 1, 1, 2))
        if n == 48:
            wakings = 3
        wake = 6 * 60 + rng.randrange(0, 60, 5) - (20 if n == 48 else 0)
        fields["bedtime"] = f"{bed // 60:02d}:{bed % 60:02d}"
        fields["wake_time"] = f"{wake // 60:02d}:{wake % 60:02d}"
        fields["night_wakings"] = wakings
        if not sick or n >= 23:
            fields["meals_eaten"] = rng.choice(MEALS)
            if rng.random() < 0.7:
                fields["meals_refused"] = rng.choice(REFUSED)
        else:
            fields["meals_eaten"] = "Toast, juice, popsicle; not hungry"
        fields["mood"] = day.mood
        fields["mood_word"] = rng.choice(MOOD_WORDS[day.mood])
        if rng.random() < 0.3:
            fields["toileting"] = rng.choice(TOILETING)
        lam = 1.1 if n < 30 else 0.6 if n < 60 else 0.3
        lam += 0.9 if night_shift else 0.0
        lam += 0.7 if sick else 0.0
        aggression = _poisson(rng, lam)
        if day.mood <= 2:
            aggression = max(aggression, 1)
        if day.mood == 5:
            aggression = 0
        fields["aggression"] = aggression
        fields["self_injury"] = _poisson(rng, 0.1 if n < 40 else 0.03)
        fields["elopement"] = _poisson(rng, 0.12 if n < 30 else 0.04 if n < 60 else 0.0)
        fields.update(day.fields)
        return fields

    def incidents(self) -> None:
        j = self.journal
        items = [
            (
                "elopement-lot",
                "daniel",
                5,
                "10:40",
                "20:25",
                "Ran from me in the Fairview Market parking lot",
                "Nobody hurt. A car was backing out two lanes over and stopped. Writing it "
                "down the way Lee asked.",
                {
                    "duration_min": 1,
                    "setting": "Fairview Market parking lot, Sunday morning, busy",
                    "people_present": "Sam, Daniel",
                    "antecedent": (
                        "Unbuckled him from the car seat and put him on the ground. I turned "
                        "to grab the shopping bags from the trunk."
                    ),
                    "behavior": (
                        "Pulled his hand out of mine and ran across two parking lanes toward "
                        "the cart corral, laughing. Stopped at the corral and grabbed a cart."
                    ),
                    "consequence": (
                        "I ran after him, picked him up and said 'we hold hands in the parking "
                        "lot'. He screamed and arched his back for about 3 minutes in the car."
                    ),
                    "intensity": 4,
                    "strategy": "None yet (no safety plan before this)",
                    "strategy_worked": "no",
                },
                ("elopement", "safety"),
                ("walking",),
                "tangible",
            ),
            (
                "park",
                "maya",
                12,
                "16:50",
                "21:20",
                "Dropped and kicked when it was time to leave the park",
                "Third time this week leaving somewhere fun went like this.",
                {
                    "duration_min": 12,
                    "setting": "Linden Park playground, late afternoon",
                    "people_present": "Sam, Maya, two other families nearby",
                    "antecedent": (
                        "I said 'two more minutes, then home' and then, at two minutes, "
                        "'time to go'. He was on the big slide."
                    ),
                    "behavior": (
                        "Dropped to the ground, screamed, kicked at my legs twice when I tried "
                        "to pick him up, pulled off one shoe and threw it."
                    ),
                    "consequence": (
                        "I sat next to him and waited, repeated 'time to go' twice, then "
                        "carried him to the car after about 10 minutes. He calmed down on the "
                        "drive with his train song."
                    ),
                    "intensity": 3,
                    "strategy": "Two-minute warning (said, no timer yet)",
                    "strategy_worked": "no",
                },
                ("transitions",),
                ("transitions",),
                "tangible",
            ),
            (
                "fever",
                "maya",
                22,
                "15:10",
                "21:35",
                "Hit his head when I tried to give him medicine",
                "Fever day. I'm including it because Lee said any self-injury goes in.",
                {
                    "duration_min": 2,
                    "setting": "Living room couch, just after his nap",
                    "people_present": "Sam, Maya",
                    "antecedent": (
                        "Woke up from his nap hot (38.6). I came at him with the ibuprofen "
                        "syringe right away."
                    ),
                    "behavior": (
                        "Pushed the syringe away, hit the side of his head with his open hand "
                        "about six times, bit his own wrist once (left a mark, skin not broken)."
                    ),
                    "consequence": (
                        "I put the medicine down, held him on my lap and sang 'Wheels on the "
                        "Bus' quietly. He stopped after about 2 minutes. Took the medicine in "
                        "applesauce ten minutes later."
                    ),
                    "intensity": 3,
                    "strategy": "Block, then calm-down song",
                    "strategy_worked": "partly",
                },
                ("self-injury", "illness"),
                (),
                "unknown",
            ),
            (
                "haircut",
                "daniel",
                40,
                "11:15",
                "19:30",
                "Haircut: screamed and hit the barber's arm at the clippers",
                "Forgot the headphones. My fault.",
                {
                    "duration_min": 8,
                    "setting": "Tony's barbershop, Saturday morning",
                    "people_present": "Sam, Daniel, the barber, two customers waiting",
                    "antecedent": "Barber switched on the electric clippers behind his ear.",
                    "behavior": (
                        "Screamed, covered his ears, slid off the chair, hit the barber's arm "
                        "once with his fist."
                    ),
                    "consequence": (
                        "We stopped, went outside for 5 minutes, came back and finished with "
                        "scissors only while he held small Percy. He got a lollipop after."
                    ),
                    "intensity": 4,
                    "strategy": "Noise-cancelling headphones (forgot them at home)",
                    "strategy_worked": "no",
                },
                ("haircut", "sensory"),
                (),
                "escape",
            ),
            (
                "bath",
                "maya",
                52,
                "18:45",
                "21:45",
                "Threw the bath cup and hit me during bath",
                "Daniel's on nights. Bath is usually his job.",
                {
                    "duration_min": 6,
                    "setting": "Bathroom, bath time",
                    "people_present": "Sam, Maya",
                    "antecedent": (
                        "Daniel left for his shift at 18:30, right before bath. Sam said "
                        "'Daddy?' three times while I ran the water. I said 'Daddy's at work, "
                        "Mama does bath tonight'."
                    ),
                    "behavior": (
                        "Threw the rinse cup at the wall, hit my arm twice with his fist and "
                        "scratched my neck when I leaned in to wash his hair."
                    ),
                    "consequence": (
                        "Said 'gentle hands', blocked, skipped the hair wash and finished the "
                        "bath quickly. After pajamas we looked at the photo of Daddy at work "
                        "and read the Percy book. Asleep at 21:40."
                    ),
                    "intensity": 3,
                    "strategy": "Bedtime picture schedule (first day using it)",
                    "strategy_worked": "partly",
                },
                ("night-shift", "bedtime"),
                (),
                "attention",
            ),
            (
                "party",
                "maya",
                66,
                "15:30",
                "20:05",
                "Ran out of the party gate at the birthday song, stopped on 'stop'",
                "Writing this one down for the good part.",
                {
                    "duration_min": 10,
                    "setting": "Mateo's birthday party, Abuela's back yard",
                    "people_present": "Sam, Maya, Daniel, about 20 family and kids",
                    "antecedent": (
                        "Everyone started singing 'Happy Birthday' and clapping, loud, right "
                        "next to him."
                    ),
                    "behavior": (
                        "Covered his ears and ran out the open side gate toward the sidewalk "
                        "(about 20 meters)."
                    ),
                    "consequence": (
                        "I shouted 'Sam, STOP!'. He stopped at the edge of the sidewalk and "
                        "waited for me. Held his hand, sat in the car for 10 minutes with his "
                        "headphones, then went back for cake."
                    ),
                    "intensity": 2,
                    "strategy": "'Stop' from the safe-walking plan",
                    "strategy_worked": "yes",
                },
                ("elopement", "party"),
                ("walking",),
                "escape",
            ),
        ]
        for key, who, n, when, written, title, body, fields, tags, goals, function in items:
            with self.by(who, n, written):
                entry = j.add_entry(
                    "incident",
                    title,
                    body,
                    tags=tags,
                    goals=[self.goal[g] for g in goals],
                    fields=fields,
                    occurred_at=self.local(n, when),
                )
            self.entry[f"incident-{key}"] = entry.id
            with self.by("lee", self.next_workday(n), "09:35"):
                j.edit_entry(entry.id, fields={**fields, "function": function})

    def observations(self) -> None:
        j = self.journal
        items = [
            (
                "maya",
                2,
                "Watching Lee wait him out",
                "Kitchen table, bubbles and snack",
                "Lee waited SO long for him to say something for the bubbles. I would have "
                "opened them after two seconds. On the fourth try he said 'op-en' and she "
                "made it the biggest deal ever.",
                "How long is too long to wait? He started whining on the third try.",
                "",
            ),
            (
                "daniel",
                5,
                "First session I could watch",
                "Living room",
                "Didn't know shoulder rides could be 'practice'. He asked for them three times "
                "with two words. Lee didn't take over, she let me do it.",
                "Should I make him ask every time? Sometimes I just want to pick him up.",
                "Usually at work for these. Glad I switched shifts.",
            ),
            (
                "maya",
                10,
                "Parking lot, no cart drama",
                "Fairview Market parking lot",
                "He walked in and out with his hand on the cart and put it back in the corral "
                "like a pro. When the car alarm went off he covered his ears and KEPT WALKING.",
                "When do we stop using the cart? Most of the time we don't need one.",
                "",
            ),
            (
                "daniel",
                12,
                "Candy Land",
                "Kitchen table",
                "He moved his own piece every time and waited twice without grabbing. Lee "
                "showed me how she counts the minutes.",
                "Is it okay to let him win for now? He really doesn't like losing.",
                "",
            ),
        ]
        for who, k, title, setting, good, ask, body in items:
            n = self.session_day(k)
            with self.by(who, n, "20:20"):
                entry = j.add_entry(
                    "observation",
                    title,
                    body,
                    fields={"setting": setting, "what_went_well": good, "what_to_ask": ask},
                    occurred_at=self.local(n, "16:30" if k != MOVED_WEEK else "16:45"),
                    session_id=self.session[k],
                )
            self.entry[f"observation{k}"] = entry.id

    def wins_and_questions(self) -> None:
        j = self.journal
        wins = [
            (
                "mama-up",
                "maya",
                18,
                "'Mama up' at the stairs",
                "Arms out, looked right at me, 'Mama up'. No model, no prompt. Abuela was "
                "there to see it.",
                ("words",),
                ("requesting",),
            ),
            (
                "bubbles",
                "maya",
                36,
                "'More bubbles' all by himself",
                "Spring break day at the park: I blew one round of bubbles, stopped, and "
                "waited like Lee does. He said 'more bubbles'. Then he said it four more "
                "times because it kept working.",
                ("words",),
                ("requesting",),
            ),
            (
                "teeth",
                "daniel",
                47,
                "Bottom teeth with just a point",
                "Pointed at picture 4, he brushed his bottom teeth himself. Then spit in the "
                "sink, not on the mirror.",
                ("toothbrushing",),
                ("toothbrushing",),
            ),
            (
                "stop",
                "maya",
                66,
                "He stopped at the sidewalk",
                "Ran from the birthday singing, heard 'stop', and STOPPED. All those red "
                "light, green light games in the hallway paid off today.",
                ("safety",),
                ("walking",),
            ),
            (
                "candyland",
                "daniel",
                75,
                "Candy Land with Mateo",
                "Four and a half minutes, three full turns each, no grabbing. Mateo let him "
                "have the blue gingerbread man.",
                ("play",),
                ("turns",),
            ),
            (
                "bye-lee",
                "maya",
                77,
                "Waved and said 'bye Lee'",
                "Unprompted, at the front door. Made Lee's day, I think.",
                ("words",),
                (),
            ),
        ]
        for key, who, n, title, body, tags, goals in wins:
            with self.by(who, n, "21:25"):
                entry = j.add_entry(
                    "win",
                    title,
                    body,
                    tags=tags,
                    goals=[self.goal[g] for g in goals],
                    occurred_at=self.local(n, "21:25"),
                )
            self.entry[f"win-{key}"] = entry.id
        questions = [
            (
                "bath-timer",
                "maya",
                10,
                "Visual timer for bath time too?",
                "The timer is working at the park. Can we use the same timer to end bath time, "
                "or should bath stay separate until the park is solid?",
            ),
            (
                "shoes",
                "daniel",
                31,
                "Lining up shoes at bedtime: stop it?",
                "Every night now he lines up all the shoes in the hall before he'll go "
                "upstairs. Takes 5-10 minutes. Should we stop him or let it go?",
            ),
            (
                "melatonin",
                "maya",
                55,
                "Melatonin and grumpy mornings",
                "Since the melatonin he falls asleep so much faster, but mornings are hard: "
                "he's groggy and grumpy until the bus. Have you seen this with other kids?",
            ),
            (
                "iep",
                "maya",
                80,
                "Help getting ready for the IEP meeting",
                "Kindergarten wants an IEP meeting in May. Could you come, or write something "
                "we can bring? I don't know what they'll ask or what we should ask for.",
            ),
        ]
        for key, who, n, title, body in questions:
            with self.by(who, n, "21:50"):
                entry = j.add_entry(
                    "question",
                    title,
                    body,
                    fields={"for_whom": "Lee"},
                    occurred_at=self.local(n, "21:50"),
                )
            self.entry[f"question-{key}"] = entry.id

    def threads(self) -> None:
        e, g = self.entry, self.goal
        # Incidents: Lee's read of the function, parents reply.
        self.comment(
            e["incident-elopement-lot"],
            "lee",
            6,
            "09:40",
            "Thank you for writing this up so quickly; it's exactly what I need. Laughing and "
            "heading straight for the carts makes me think the cart itself is the prize, plus "
            "the fun of the run. I've put 'tangible' for now. Let's turn the cart into his job "
            "(tip coming) and practice 'stop' as a game before the next store trip.",
        )
        self.comment(
            e["incident-elopement-lot"],
            "daniel",
            6,
            "20:10",
            "Makes sense, he's obsessed with the corral. We'll do the stop game tonight.",
        )
        self.resolve(e["incident-elopement-lot"], "lee", 9, "09:00")
        self.comment(
            e["incident-park"],
            "lee",
            13,
            "09:50",
            "Leaving something he loves, so I'd call this tangible. A spoken 'two minutes' "
            "doesn't mean much to him yet; he can't see time passing. Next session I'll bring "
            "a visual timer and we'll add a 'then' he likes (his train in the car).",
        )
        self.comment(
            e["incident-park"],
            "maya",
            16,
            "18:40",
            "Tried the timer at the park today and he came with me! First try. Not counting "
            "my chickens, but wow.",
        )
        self.resolve(e["incident-park"], "maya", 16, "18:41")
        self.comment(
            e["incident-fever"],
            "lee",
            23,
            "10:05",
            "Hope he's feeling better. With a fever this high I'd read this mostly as pain and "
            "discomfort, so I've put 'unknown' rather than guess. Blocking and the song were "
            "the right call. Medicine in food is a perfectly good plan.",
        )
        self.resolve(e["incident-fever"], "maya", 23, "20:30")
        self.comment(
            e["incident-haircut"],
            "lee",
            43,
            "09:40",
            "Clippers behind the ear are hard for a lot of our kids: sound and vibration at "
            "once. This looks like escape. Before the next haircut, let's play clipper sounds "
            "on the phone during bath for a few seconds at a time, and bring the headphones.",
        )
        self.comment(
            e["incident-haircut"],
            "daniel",
            44,
            "21:15",
            "Found a clipper sound video. Played it for 5 seconds at bath, he said 'no' and "
            "turned it off. Keep going?",
        )
        self.comment(
            e["incident-haircut"],
            "lee",
            45,
            "08:55",
            "Yes: 'no' and turning it off is him telling you it's too much, which is fine. "
            "Start quieter (phone in the hallway) and let him be the one who turns it on.",
        )
        self.comment(
            e["incident-bath"],
            "lee",
            55,
            "10:20",
            "I don't think this is about the bath: Daddy leaving right before it changed the "
            "whole evening, and you got the brunt. I've put 'attention' as the closest guess. "
            "The 'goodbye Daddy' picture and the video call at pajamas should help; let's "
            "look at the counts again next Tuesday.",
        )
        self.comment(
            e["incident-bath"],
            "maya",
            55,
            "21:40",
            "We did the video call tonight and he kissed the screen. Bath was fine.",
        )
        self.resolve(e["incident-bath"], "lee", 56, "09:10")
        self.comment(
            e["incident-party"],
            "lee",
            67,
            "09:15",
            "That stop is huge: a new place, loud, upset, and he still stopped. That's the "
            "safe-walking work generalizing. I've put 'escape' (the noise). Headphones ready "
            "before the singing next time.",
        )
        self.comment(
            e["incident-party"], "daniel", 67, "19:30", "Still grinning about it. Thanks, Lee."
        )
        self.resolve(e["incident-party"], "daniel", 67, "19:31")
        # Questions.
        self.comment(
            e["question-bath-timer"],
            "lee",
            13,
            "10:10",
            "Good thinking. Yes, use the same timer for bath, same words: 'two minutes', then "
            "'all done, first pajamas then Percy book'. Same tool everywhere helps him.",
        )
        self.comment(
            e["question-bath-timer"],
            "maya",
            13,
            "21:00",
            "Did it tonight. Protest but no meltdown. Thanks!",
        )
        self.resolve(e["question-bath-timer"], "maya", 13, "21:01")
        self.comment(
            e["question-shoes"],
            "lee",
            34,
            "09:25",
            "I'd let it go. It isn't hurting anyone, it seems to calm him before bed, and it "
            "isn't one of our targets. If it starts making bedtime late, build it into the "
            "schedule as a step with a clear end ('shoes, then stairs').",
        )
        self.comment(
            e["question-shoes"], "daniel", 34, "22:10", "That's a relief. He's very precise."
        )
        self.resolve(e["question-shoes"], "daniel", 34, "22:11")
        self.comment(
            e["question-melatonin"],
            "lee",
            56,
            "09:05",
            "Medication and dosing are Dr. Patel's call, not mine, so please ask her office. "
            "What I can do: keep logging wake time and mood in the check-ins and I'll graph "
            "them for your call.",
        )
        self.comment(
            e["question-melatonin"],
            "maya",
            58,
            "14:30",
            "Called. She suggested half the dose for two weeks. Starting tonight.",
        )
        self.resolve(e["question-melatonin"], "maya", 58, "14:31")
        self.comment(
            e["question-iep"],
            "lee",
            83,
            "12:10",
            "Yes, happily. I can't always attend, but I'll write a progress summary with the "
            "graphs from here, and we can make a list of what helps him at school. Let's use "
            "part of the next session to outline it.",
        )
        # Goals.
        self.comment(
            g["toothbrushing"],
            "daniel",
            30,
            "21:20",
            "Would an electric toothbrush help? He likes things that buzz.",
        )
        self.comment(
            g["toothbrushing"],
            "lee",
            31,
            "09:00",
            "Worth trying later. The vibration is a big change; let's wait until steps 1-4 "
            "are his, then introduce it at a calm time, not at bedtime.",
        )
        self.resolve(g["toothbrushing"], "daniel", 31, "20:00")
        self.comment(
            g["transitions"],
            "maya",
            78,
            "20:45",
            "The app says 'criterion met' for transitions! Does that mean we're done?",
        )
        self.comment(
            g["transitions"],
            "lee",
            79,
            "09:30",
            "It does meet the criterion we set, three sessions at 80% or better. Before I "
            "change the status I'd like one more week where he's doing it at home with fewer "
            "stickers. Then maintenance, with a check every other week.",
        )
        self.comment(
            g["requesting"],
            "maya",
            60,
            "21:30",
            "Priya says he's using 'more + thing' at speech too. Are you two talking?",
        )
        self.comment(
            g["requesting"],
            "lee",
            61,
            "09:15",
            "We are! Same target, same prompts, so he hears the same thing everywhere.",
        )
        self.resolve(g["requesting"], "maya", 61, "19:00")
        # Session notes and observations.
        self.comment(
            e["session4"],
            "maya",
            28,
            "21:40",
            "How many 'stuck' set-ups a day is too many? I don't want him to feel tricked.",
        )
        self.comment(
            e["session4"],
            "lee",
            29,
            "09:10",
            "Two or three a day is plenty, and mix them with real moments. If he starts to "
            "get frustrated before you can model 'help', make the next one easier.",
        )
        self.resolve(e["session4"], "maya", 29, "20:00")
        self.comment(
            e["observation10"],
            "lee",
            71,
            "09:20",
            "Good question: we're fading it now. Hand in hand on the walk in, cart only "
            "inside. If he's solid for two weeks, no cart at all.",
        )
        self.resolve(e["observation10"], "maya", 71, "21:00")
        # Resources.
        self.comment(
            self.resource["toothbrushing"],
            "daniel",
            16,
            "21:35",
            "Printed and taped at his height. He already pointed at the spit picture and laughed.",
        )
        # A standalone topic.
        with self.by("maya", 74, "21:15") as j:
            topic = j.new_topic(
                "Summer: swim lessons or day camp?",
                "The community center has swim lessons (30 min, 6 kids) and a half-day camp "
                "with an aide. We can't afford both. Thoughts on which fits his goals better?",
            )
        self.entry["topic-summer"] = topic.id
        self.comment(
            topic.id,
            "daniel",
            74,
            "22:30",
            "I vote swim. Water safety first, and he loves the water.",
        )
        self.comment(
            topic.id,
            "lee",
            75,
            "10:00",
            "Both are good options. Swim lessons: safety and a short, predictable routine. "
            "Camp: more practice with peers and transitions, but long days. Could we visit "
            "the camp before deciding?",
        )

    def epilogue(self) -> None:
        """The last days: a change request for an upcoming session, and who saw what when."""
        j = self.journal
        last = SESSION_WEEKS - 1
        n = self.session_day(last)
        upcoming = self.session[last + 2]
        self.comment(
            upcoming,
            "daniel",
            n - 1,
            "21:10",
            "Could we start at 16:00 in two weeks? I'm at the dentist until 15:30 and want to be "
            "there for Candy Land.",
        )
        self.comment(upcoming, "lee", n, "09:20", "16:00 works. I've moved it.")
        with self.by("lee", n, "09:21"):
            j.set_session_status(upcoming, "moved")
            moved = j.add_session(
                self.local(7 * (last + 2), "16:00"),
                duration_min=90,
                location="Home",
                notes="Moved from 15:30 at Daniel's request.",
            )
        self.session[last + 2] = moved.id
        self.resolve(upcoming, "daniel", n, "12:40")
        self.comment(
            self.entry[f"session{last}"],
            "maya",
            n,
            "21:30",
            "Daniel says it went well. We'll play Candy Land at Sunday dinner with Mateo.",
        )
        y = self.days - 1  # yesterday: 84 to 90
        lee_day = y
        while self.day(lee_day).weekday() >= 5:
            lee_day -= 1
        self.comment(
            self.entry["topic-summer"],
            "lee",
            lee_day,
            "12:20",
            "The camp's open house is Saturday 10-12, if you want to visit. I can send them a "
            "short note about what helps Sam.",
        )
        for who, day, hm in (
            ("daniel", y - 2, "22:00"),
            ("maya", y - 1, "21:50"),
            ("lee", lee_day, "12:25"),
        ):
            with self.by(who, day, hm) as journal:
                journal.mark_seen()


def write_demo_journal(
    path: Path,
    *,
    passphrase: str = DEMO_PASSPHRASE,
    seed: int = 7,
    today: date | None = None,
) -> Journal:
    """Create and save the demo journal at `path` (which must not exist yet).

    About three months of the Rivera family's journal before `today` (default:
    the current date), opened by Maya (a parent) with `passphrase`. The same
    `seed` and `today` always give the same content (record ids and sync
    metadata are random, as in any journal).
    """
    demo = _Demo(Path(path), passphrase, seed, today or date.today())
    journal = demo.build()
    journal.save()
    return journal
