#!/usr/bin/env python3
"""Generates the Penguin Wood demo support logs (conversations.jsonl, zendesk-export.jsonl, transcripts.txt).

Deterministic: a fixed seed and only the standard library, so running it twice writes identical bytes.
The answers agents give follow the product pages in ../docs; change both together.
Usage: python3 generate.py   (writes next to this file and prints what it generated)
"""

import json
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from string import Template

SEED = 20260301
OUT = Path(__file__).resolve().parent


def S(key, tags, subjects, openings, answers, followups=(), fail=None, lang="en", vars=None):
    """One support topic: customer openings and agent answers are alternative phrasings; followups are
    (customer, agent) pairs that may continue the thread; fail is what a customer says when the answer did not help."""
    return {"key": key, "tags": tags, "subjects": subjects, "openings": openings, "answers": answers,
            "followups": list(followups), "fail": fail, "lang": lang, "vars": vars or {}}


# ---------------------------------------------------------------------------------------------------------------
# English topics. Facts: see ../docs (models-and-specs, installation, troubleshooting, warranty, shipping-and-returns).
# ---------------------------------------------------------------------------------------------------------------
SCENARIOS = [
    S("acclimatise", ["installation"],
      ["Can I mount the panels right away?", "Panels just delivered - install today?"],
      ["My $model panels were delivered this morning. Can I put them up this afternoon or do I need to wait?",
       "The panels arrived an hour ago and my brother is here to help today. Is it OK to mount them straight out of the box?"],
      ["Please give them 48 hours first: unpack the panels and lay them flat in the room where they will hang. "
       "Wood adapts to the room's temperature and humidity, and panels mounted straight from a cold van can open small "
       "gaps or bow slightly later. While you wait you can already mark and fix the rails (lower rail top edge at 400 mm, "
       "upper rail at 2000 mm above the floor)."],
      followups=[("Do they have to lie flat or can I lean them against the wall?",
                  "Flat is best, on the floor or on a few battens, so they cannot bend. Leaning them for two days can "
                  "introduce a slight bow in 2.4 m long panels.")],
      vars={"model": ["PW-100", "PW-200", "PW-300"]}),

    S("drywall_no_studs", ["installation", "mounting", "drywall"],
      ["Mounting on plasterboard", "Drywall fixings for panels?", "Which plugs for drywall?"],
      ["I want to put two $model panels on a plasterboard wall. The stud finder shows nothing where I want them. "
       "Can I use the plugs that came in the box?",
       "Our wall is drywall and there are no studs behind the spot we picked. What do I use to hang the rails?"],
      ["Please don't use the included nylon plugs in plasterboard - they are only for concrete and solid brick. "
       "Without studs, use metal cavity anchors (hollow-wall anchors) rated for at least 25 kg each, three per rail, "
       "so six per panel. Adhesive mounting is not suitable either. The mounting page has a table for all wall types."],
      followups=[("If I do find a stud for one of the screws, is that better?",
                  "Yes. Put as many rail screws as possible into studs - ideally two of the three per rail - and use "
                  "cavity anchors for the rest. European studs are usually 600 or 625 mm apart, so a 580 mm rail often "
                  "reaches one.")],
      vars={"model": ["PW-100", "PW-200", "PW-300"]}),

    S("concrete", ["installation", "mounting"],
      ["Concrete wall - is the hardware included enough?", "Fixings for concrete"],
      ["Our living room wall is concrete. Are the screws and plugs in the box good enough or should I buy something better?",
       "Quick question: concrete wall, PW-300 panels. Do I need special anchors?"],
      ["The included hardware is made exactly for concrete and solid brick: drill 6 mm holes about 60 mm deep, vacuum "
       "the dust out, push the 6 mm nylon plugs in flush and fix each rail with three 5 x 50 mm screws. Then hook the panel "
       "on and secure it with the four black 3.5 x 25 mm screws through the felt gaps. Please check for pipes and cables "
       "with a detector before drilling."]),

    S("cut_panel", ["installation", "cutting"],
      ["Ceiling is too low for the panels", "Can I shorten a panel?", "Cutting panels to length"],
      ["Our ceiling is only $height m high and the panels are 2.4 m. Can I cut them? Which end?",
       "I need the panels about $short cm shorter. Is that allowed and how do I do it without ruining the LEDs?"],
      ["Yes, you can shorten a panel from the bottom end only, by up to 600 mm (minimum length 1800 mm). The cut zone "
       "is marked by a printed line on the felt backing; the LED channel and wiring end 650 mm above the bottom edge. "
       "Put masking tape over the cut line on the front, cut from the front with a fine-tooth saw and sand the edge "
       "lightly with 180 grit. Please never cut the top end or above the line: that damages the LED channel or the "
       "connector and voids the warranty, and cut panels can no longer be returned. Remember to leave 10 mm free at the "
       "floor and at the ceiling."],
      followups=[("And the rails - do they stay at the same height?",
                  "Keep the upper rail at 2000 mm and move the lower rail so it is at least 200 mm above the bottom of "
                  "the shortened panel.")],
      vars={"height": ["2.25", "2.30", "2.20"], "short": ["20", "35", "40"]}),

    S("ceiling_pw300", ["installation", "ceiling"],
      ["Ceiling installation", "Panels on the ceiling?"],
      ["Can I mount PW-300 panels on the ceiling of our home cinema? I have the ceiling kit in my cart already.",
       "We would like to put our panels on the ceiling above the dining table. Which model works and what do I need?"],
      ["Ceiling mounting is only allowed for PW-100 and PW-200 panels, and only with the PW-CK ceiling kit (€39). "
       "The PW-300 is too heavy (12.6 kg) for ceiling use, so please don't put it overhead. The kit has two steel rails "
       "with four fixings each (eight per panel) and safety cables. Suspended grid ceilings or plasterboard ceilings "
       "without joists are not suitable, and ceiling mounting with the standard rails voids the warranty."]),

    S("bathroom", ["installation", "environment"],
      ["Panels in bathroom?", "Can I use the panels in a bathroom"],
      ["We're renovating the bathroom and I love the look of the walnut PW-300. Can it go on the wall opposite the shower?",
       "Is it OK to install a PW-200 in a bathroom if there's a good extractor fan?"],
      ["I'm sorry, but bathrooms are not suitable, even with a good fan. Humidity there regularly goes above 70 %, which "
       "makes the wood swell and can damage the LEDs; the panels are designed for 30-70 % relative humidity and "
       "10-35 °C. Damage from wet rooms is also excluded from the warranty. A hallway, bedroom or living room is fine."],
      fail="Pity. Is there really no model that can handle it?"),

    S("tiles_kitchen", ["installation", "mounting", "tiles"],
      ["Mounting over kitchen tiles", "Panel over tiled wall"],
      ["Can I mount a panel over the tiles in our kitchen, next to the dining area?",
       "There are tiles on the wall where I want the panel. Do I have to take them off?"],
      ["You can mount over tiles in dry rooms like kitchens and hallways. Tape the spot, drill through the tile with a "
       "6 mm tile bit without hammer mode, then switch to a masonry bit for the wall behind and fix as for that wall. "
       "Just keep the panel away from the hob: not directly above cookers, and at least 30 cm from any heat source."]),

    S("rail_heights", ["installation"],
      ["Rail positions?", "Where do the rails go"],
      ["The quick guide got wet. At what height do the two rails go?",
       "How high do I fix the lower and upper rail for a full-length panel?"],
      ["For a full-length panel: the top edge of the lower rail at 400 mm and of the upper rail at 2000 mm above the "
       "floor. That leaves the 10 mm floor gap. Each rail takes three screws, and when panels sit side by side keep a "
       "20 mm gap between the ends of neighbouring rails."]),

    S("gaps_winter", ["care", "humidity"],
      ["Gaps between panels", "Panels shrinking in winter?"],
      ["Since the heating is on there are small gaps (1-2 mm) between my panels. Did I mount them wrong?",
       "In summer the wall looked perfect, now there are thin gaps between the $model panels. Is something broken?"],
      ["Most likely it's the dry winter air, not the installation. When humidity drops below about 30 % the wood "
       "shrinks slightly and small gaps open; they close again when the humidity returns to normal. Aim for 40-60 % "
       "relative humidity - a humidifier helps. If the rails were not level the gap would be wedge-shaped and there "
       "all year; in that case re-levelling the rails fixes it."],
      followups=[("I have a hygrometer, it shows 27 %. So that's it?",
                  "Yes, 27 % is below the 30 % the panels are made for. Raise it to 40-60 % and the gaps should close "
                  "within a couple of weeks.")],
      vars={"model": ["PW-100", "PW-200", "PW-300"]}),

    S("e06_password", ["pw-hub", "wifi", "E06"],
      ["E06 during setup", "Hub won't accept Wi-Fi password"],
      ["Setting up the hub, it fails at the Wi-Fi step with E06. I'm 100 % sure the password is right.",
       "The app says E06 every time I enter my Wi-Fi password. What's wrong?"],
      ["E06 means the router rejected the hub. Please check: the password is case-sensitive; the network must be "
       "2.4 GHz with WPA2-Personal or WPA2/WPA3 mixed mode - WPA3-only and enterprise (802.1X) networks are not "
       "supported; and guest networks with a login page don't work. Many new routers default to WPA3-only, so switching "
       "the router to WPA2/WPA3 mixed mode usually fixes it."],
      followups=[("Found it, the router was on WPA3 only. Switched to mixed mode and the ring is white now.",
                  "Great, solid white means the hub is online. It will update itself overnight to the latest firmware.")],
      fail="Router is on WPA2 already and it still says E06."),

    S("e07_dropouts", ["pw-hub", "wifi", "E07"],
      ["Hub keeps going offline", "Orange blinking light / E07", "PW-Hub loses Wi-Fi every day"],
      ["My PW-Hub blinks orange a few times a day and the app shows E07. We have a mesh Wi-Fi system.",
       "The hub drops off the network every evening, orange light, error E07. Other devices are fine.",
       "E07 again and again. Which settings does the hub need?"],
      ["E07 means the hub lost its Wi-Fi connection; the orange blinking is it trying to reconnect (lights still work "
       "from the touch strip and over Bluetooth). Please check three things: 1) the hub is on firmware 3.4.2 or later - "
       "that version fixed a reconnect loop on mesh routers with band steering (Devices > PW-Hub > Settings > Firmware); "
       "2) the 2.4 GHz band is enabled, the hub cannot use 5 GHz; 3) the signal under Status > Wi-Fi is better than "
       "-70 dBm, otherwise move the hub or add a repeater."],
      followups=[("It was on 3.4.0. Updated now, let's see.",
                  "Perfect. If E07 comes back over the next days, a separate 2.4 GHz network name for smart-home devices "
                  "is the most reliable fix on mesh systems."),
                 ("Signal shows -78 dBm.",
                  "That's too weak - it should be better than -70 dBm. Moving the hub a few metres towards the router or "
                  "adding a mesh node nearby should sort it.")],
      fail="I updated to 3.4.2 and the signal is -61 dBm, still E07 every evening."),

    S("5ghz", ["pw-hub", "wifi", "presales"],
      ["5 GHz support?", "Does the hub do 5GHz"],
      ["Does the PW-Hub work with a 5 GHz network? My router only has 5 GHz enabled at the moment.",
       "Before I buy: can the hub connect to 5 GHz Wi-Fi?"],
      ["No, the hub uses 2.4 GHz Wi-Fi only (802.11 b/g/n) with WPA2-Personal or WPA2/WPA3 mixed mode. Almost every "
       "router can broadcast 2.4 GHz alongside 5 GHz; if yours uses one name for both bands (band steering) the hub "
       "usually connects fine, otherwise create a separate 2.4 GHz network for smart-home devices."]),

    S("app_cant_find_hub", ["pw-hub", "app", "setup"],
      ["App doesn't find the hub", "Setup stuck at searching"],
      ["The app keeps searching for the hub and never finds it. The hub is plugged in, light is on.",
       "Can't add the PW-Hub, the app says no device found."],
      ["Let's check the basics: the LED ring should blink blue (pairing mode); Bluetooth and location permission must "
       "be on for the Penguin Wood Home app; and the phone should be within 3 m of the hub. If the ring is not blinking "
       "blue the hub was set up before - hold the reset pin on the back for 10 seconds until it blinks green (factory "
       "reset), wait until it blinks blue, then scan the QR code on the underside again."],
      followups=[("The light is solid white, not blue. It's a hub my neighbour sold me.",
                  "That explains it - it is still linked to their account. Do the 10-second factory reset, and ask your "
                  "neighbour to remove the hub from their app (Devices > PW-Hub > Remove) so you can add it to yours.")],
      fail="Did the reset, ring blinks blue now, app still finds nothing."),

    S("matter_alexa", ["pw-hub", "smart-home", "matter"],
      ["Alexa / Google Home integration", "Matter pairing", "Apple Home support?"],
      ["Can I control the panels with $assistant?",
       "How do I add the PW-Hub to $assistant? I can't find a Penguin Wood skill."],
      ["Yes - through Matter, from hub firmware 3.4.0 (current is 3.4.2). In the app open Devices > PW-Hub > Settings > "
       "Smart home > Matter and tap Create pairing code, then add a Matter device in $assistant and enter or scan the "
       "code. Each panel group appears as a light; colour control works for PW-200 and PW-300 groups, PW-100 groups "
       "are dimmable white."],
      followups=[("The Matter option isn't in my app.",
                  "Then the hub is still on an older firmware. Go to Settings > Firmware > Check for updates; after "
                  "updating to 3.4.2 the Matter menu appears.")],
      vars={"assistant": ["Alexa", "Google Home", "Apple Home"]}),

    S("local_api", ["pw-hub", "local-api"],
      ["Local API for Home Assistant", "Is there a local API?"],
      ["I run Home Assistant. Is there a local API so I don't depend on the cloud?",
       "Can I control the hub over HTTP from my own scripts?"],
      ["Yes, since firmware 3.3.0 the hub has a local HTTP API. It's off by default: enable it under Settings > Smart "
       "home > Advanced > Local API and copy the token. Then e.g. curl -H \"Authorization: Bearer <token>\" "
       "http://<hub-ip>/api/v1/status returns the firmware, Wi-Fi signal, panels per port and load; POST to "
       "/api/v1/lights with group, on, brightness and kelvin sets the light. Matter is another local option."]),

    S("share_access", ["app", "account"],
      ["Give my partner access", "Second user in the app"],
      ["How can my wife control the lights from her phone too?",
       "Can two people use the app for the same hub?"],
      ["Yes: Settings > Home > Members > Invite. Invited members can use scenes, schedules and the lights; only the "
       "owner can update firmware or remove the hub."]),

    S("status_light", ["pw-hub", "app"],
      ["Hub LED too bright at night", "Turn off the status ring?"],
      ["The white ring on the hub lights up our bedroom at night. Can I switch it off?",
       "Is there a way to dim the LED on the PW-Hub?"],
      ["Yes, under Settings > Hub > Status light you can dim the ring or switch it off (firmware 3.3.0 or later). "
       "It will still light red if there's an error, so you don't miss a problem."]),

    S("e02_overload", ["panels", "power", "E02"],
      ["E02 and everything switches off", "Blinking red after adding panels"],
      ["I added a $nth PW-300 and now the hub blinks red and shows E02. All panels go dark.",
       "Blinking red light, E02. I have $count PW-300 panels on one hub."],
      ["E02 is an overload: one hub supplies at most 144 W, and each PW-300 draws 24 W, so six PW-300 is the limit "
       "(6 x 24 W = 144 W). With more than six the hub switches the outputs off to protect itself. The fix is a second "
       "PW-Hub (€129 including power supply) for the extra panels; the app groups both hubs into one room."],
      followups=[("Can I put the extra panel on port B instead?",
                  "Unfortunately not - the 144 W limit is for both ports together. Port B is useful for a second chain "
                  "on another wall, but the total load stays the same.")],
      vars={"nth": ["seventh"], "count": ["7", "8"]}),

    S("e03_panel_dark", ["panels", "E03"],
      ["One panel stays dark", "E03 panel not detected"],
      ["One panel in the middle of my wall stays dark, the app shows E03. The others work.",
       "After moving house, panel 3 of 5 doesn't light and the app says panel not detected."],
      ["E03 usually means a link connector is not fully clicked in. Find the first dark panel in the chain - the fault is "
       "between it and the panel before it. Lift that panel off the rails, reseat both PW-LINK connectors until they "
       "click, hang it back and run Discover panels in the app."],
      followups=[("That was it, the connector was half out. All five are on again.",
                  "Great! That's the most common cause, especially after moving. Enjoy the wall.")],
      fail="Reseated everything twice, still E03 on the same panel."),

    S("e01_psu", ["power", "E01"],
      ["E01 with new power supply", "Blinking red E01"],
      ["My original power supply got lost in the move, so I'm using a 24 V LED driver from the hardware store. Now E01.",
       "Hub blinks red, app says E01 supply voltage too low. What does that mean?"],
      ["E01 means the hub measured less than 22 V at its input and switched the panels off. Please use only the original "
       "PW-PSU-150 (24 V DC, 150 W): other supplies can't deliver the power reliably, and using one voids the warranty. "
       "Also push the DC plug firmly into the hub and plug the supply straight into a wall socket. A spare PW-PSU-150 "
       "costs €49 in the shop."],
      followups=[("It is the original one and it still shows E01.",
                  "Then the supply itself is probably faulty. Send me the hub's serial number (underside, starts with "
                  "PWH-) and your order number, and we'll replace the power supply under warranty - you don't need to "
                  "return it.")]),

    S("e04_long_cable", ["panels", "cables", "E04"],
      ["E04 communication error", "Panels glitch with extension cable"],
      ["The hub is in the next room, so I used 4 PW-EXT extensions (about 8 m). Now E04 and the colours glitch.",
       "E04 shows up randomly and the panels flicker in odd colours."],
      ["E04 is a communication error between hub and panels. The cable from the hub to the first panel may be at most "
       "5 m - for example two PW-EXT 2 m cables plus the 30 cm link - so an 8 m run is too long. Please move the hub "
       "closer. Also check the pins for damage and keep link cables away from mains cables and dimmer switches."]),

    S("e05_overheat", ["pw-hub", "E05"],
      ["Hub overheating E05", "E05 and dim lights"],
      ["I put the hub inside the TV cabinet to hide it. Now the lights dim and the app says E05.",
       "What is E05? The lights got darker by themselves."],
      ["E05 means the hub got hotter than 70 °C inside and dimmed the panels to protect itself. It needs 5 cm free on "
       "all sides - not in a closed cabinet, not behind a panel and not on a radiator. Move it somewhere open and let "
       "it cool for 15 minutes; it recovers by itself. The wall bracket in the box lets you mount it neatly on the wall."]),

    S("e11_new_panel", ["panels", "firmware", "E11"],
      ["New panel shows E11", "Added a panel - firmware mismatch"],
      ["I bought one more PW-200 to extend the wall. It only lights white and the app shows E11.",
       "E11 after adding a panel I had in the basement."],
      ["E11 means the new panel has older driver firmware than your hub needs. In the app tap Update panels (or "
       "Settings > Firmware > Update panels). The hub updates the panel - it blinks slowly while updating, about 2 "
       "minutes per panel - and then it behaves like the others. The current panel driver is 1.8.0."]),

    S("e12_config", ["pw-hub", "E12"],
      ["E12 after power cut", "Configuration error E12"],
      ["We had a power cut and now the hub ring is solid red with E12.",
       "Hub shows E12 configuration memory corrupted. Help?"],
      ["E12 means the hub couldn't read its saved settings, usually after a power cut during a change. Restart it once "
       "(press the reset pin for 1 second). If E12 stays, do a factory reset - hold the pin 10 seconds until the ring "
       "blinks green - then remove the hub in the app and set it up again. Your panels are not affected."],
      fail="Did the factory reset and set it up again, E12 is back the next day."),

    S("e09_sensor", ["panels", "pw-300", "E09", "warranty"],
      ["E09 sensor fault on PW-300", "Climate sensor not working"],
      ["One of my PW-300 panels reports E09 and the humidity graph is empty.",
       "The climate reading disappeared from the app, error E09."],
      ["E09 means the temperature and humidity sensor of that PW-300 isn't responding; the light keeps working. "
       "Please restart the hub and make sure it's on firmware 3.4.2. If E09 stays, send me the panel's serial number "
       "(label on the back near the top connector, starts with PW3-) and your order number: the sensor module is "
       "covered by the PW-300's 5-year warranty and we'll arrange the replacement."]),

    S("e10_humidity", ["panels", "pw-300", "E10", "humidity"],
      ["E10 humidity warning", "What does E10 mean?"],
      ["My PW-300 keeps showing E10 since we started heating. Is the panel broken?",
       "E10 every morning in the bedroom. Should I worry?"],
      ["E10 is a warning to protect the wood, not a fault: the PW-300 measured below 30 % or above 70 % relative "
       "humidity for more than 6 hours. Check the history under Room > Climate. In winter it's usually too dry - a "
       "humidifier to reach 40-60 % clears it. Long periods outside 30-70 % can crack solid wood and aren't covered by "
       "the warranty, so it's worth acting on."],
      followups=[("The graph shows 24-26 % for a week.",
                  "That's clearly too dry. A humidifier in that room will bring it up; the warning clears automatically "
                  "once the humidity is back in range.")]),

    S("flicker_low", ["panels", "firmware", "flicker"],
      ["Flicker at low brightness", "Panels flicker when dimmed"],
      ["When I dim the panels below 5 % they flicker slightly. Normal?",
       "Flickering at night when the scene is set to 3 %."],
      ["That was improved in hub firmware 3.4.2, which brings panel driver 1.8.0 with smoother dimming below 5 %. "
       "Check Devices > PW-Hub > Settings > Firmware; if you're on an older version tap Check for updates, and after the "
       "hub update let the app run Update panels."]),

    S("touch_strip", ["panels", "touch"],
      ["Touch strip not working", "Where is the touch button?"],
      ["The touch strip on my $model does nothing when I tap it.",
       "How do I use the touch control on the side of the panel?"],
      ["On PW-200 and PW-300 panels the touch strip is on the left-hand side slat: tap to switch the whole chain on or "
       "off, hold to dim. If taps are ignored, make sure the hub is on firmware 3.3.1 or later (it fixed missed taps) "
       "and wipe the side slat with a dry cloth. The PW-100 Classic has no touch strip - it's controlled from the app."],
      vars={"model": ["PW-200", "PW-300"]}),

    S("e08_update_failed", ["firmware", "E08"],
      ["Firmware update failed", "E08 during update"],
      ["I tried to update the hub and it failed with E08. Is it broken now?",
       "Update to 3.4.2 fails every time with error E08."],
      ["Don't worry - after E08 the hub keeps running the old version, nothing is lost. Make sure the ring is solid "
       "white and the router has internet, restart the hub (reset pin 1 second) and start the update again from "
       "Settings > Firmware. If it fails twice more, recovery mode reinstalls the firmware: unplug, hold the reset "
       "pin, plug back in and keep holding 10 seconds until the ring is solid orange, then the app offers Reinstall "
       "firmware."],
      followups=[("Second attempt worked, it's on 3.4.2 now.",
                  "Excellent. The app may now offer Update panels for the panel driver 1.8.0 - that takes about 2 "
                  "minutes per panel.")],
      fail="Tried three times and recovery mode too, still E08."),

    S("stuck_purple", ["firmware", "recovery"],
      ["Hub stuck in update", "Purple light for an hour"],
      ["The hub has been pulsing purple for over an hour. Can I unplug it?",
       "Update seems frozen, purple ring since this morning."],
      ["An update normally takes 5-10 minutes; if the ring pulses purple for more than 30 minutes it's stuck and you can "
       "use recovery mode: unplug the power supply, press and hold the reset pin, plug back in while holding it and keep "
       "holding 10 seconds until the ring is solid orange. Open the app - it shows Hub in recovery mode - Reinstall "
       "firmware. Keep the phone within 3 m; it takes about 15 minutes."],
      followups=[("The app doesn't see it in recovery mode.",
                  "Then use the PW Recovery Tool for Windows or macOS from our support website: keep the power supply "
                  "connected, connect the hub's USB-C service port to the computer and click Restore latest firmware.")],
      fail="Neither the app nor the Recovery Tool can restore it."),

    S("downgrade", ["firmware"],
      ["Downgrade firmware?", "Go back to older firmware"],
      ["Since the latest update my schedule triggers a minute late. Can I go back to the previous firmware?",
       "Is it possible to downgrade the hub to 3.4.0?"],
      ["Downgrading isn't possible, sorry. If an update caused a problem please describe it and we'll investigate; we "
       "can also hold back automatic updates for your hub in the meantime. You can switch automatic updates off "
       "yourself under Settings > Firmware > Automatic updates, though we recommend keeping them on."]),

    S("firmware_version", ["firmware"],
      ["Which firmware is current?", "How do I check the hub version"],
      ["How do I see which firmware my hub has and what the newest one is?",
       "Is 3.3.1 the latest firmware?"],
      ["The current hub firmware is 3.4.2 (released 10 February 2026) with panel driver 1.8.0. You can see yours under "
       "Devices > PW-Hub > Settings > Firmware. Automatic updates install new versions at night between 02:00 and 05:00 "
       "unless you switched them off; there you can also tap Check for updates."]),

    S("cleaning", ["care", "cleaning"],
      ["How to clean the panels", "Cleaning products?"],
      ["What can I clean the panels with? There are fingerprints on the slats near the light switch.",
       "Can I use furniture polish spray on the oak panels?"],
      ["Please no sprays, polish, solvents, alcohol or steam - they damage the finish. For dust, a dry microfibre cloth "
       "along the grain or the vacuum with a soft brush. For fingerprints: switch the panels off and unplug the hub, use "
       "a microfibre cloth dampened with water (a drop of pH-neutral soap for greasy marks), wring it almost dry, wipe "
       "along the grain and dry straight away. Wait 30 minutes before plugging the hub back in."]),

    S("oiling", ["care", "pw-300"],
      ["Oiling the panels", "Do the panels need oil?"],
      ["Do I need to oil my $model panels? The wood looks a bit dry.",
       "How often should the walnut panels be oiled?"],
      ["Only the PW-300 (solid walnut or oak, hard-wax oil) gets oiled: every 2-3 years or when it looks dry, with the "
       "oil from the PW-CARE kit (€22, 250 ml is enough for about 6 panels). Switch off and unplug the hub, dust, apply "
       "a thin layer along the grain, wipe off the excess after 10 minutes and let it cure 24 hours. PW-100 and PW-200 "
       "are lacquered veneer - please don't oil those. Oily cloths can self-ignite, so dry them flat outdoors."],
      vars={"model": ["PW-300", "PW-200"]}),

    S("walnut_lighter", ["care", "wood"],
      ["Walnut panel changed colour", "Panel getting lighter"],
      ["Our walnut PW-300 has become noticeably lighter in 4 months, and there's an outline where a picture hung.",
       "Is it normal that the wood colour changed near the window?"],
      ["Yes, that's natural: walnut lightens (and oak darkens slightly) in light, mostly in the first six months, and "
       "direct sun speeds it up. It isn't a defect. The outline will fade as the shaded area catches up; close blinds in "
       "strong midday sun and move objects in front of the panels now and then during the first months."]),

    S("cat_felt", ["care", "warranty"],
      ["Cat scratched the felt", "Felt damaged by pet"],
      ["Our cat has discovered the felt between the slats and pulled fibres out. Is that covered?",
       "The felt on the lower part of a panel is fuzzy from our cat. Replacement under warranty?"],
      ["Sorry to hear that - damage by pets isn't covered by the warranty. Pulled fibres can simply be trimmed with "
       "scissors; it's only cosmetic. PW-TRIM side trims help on exposed edges, and many cats lose interest once the "
       "lower part is harder to reach."]),

    S("led_failed_warranty", ["warranty", "led"],
      ["LEDs stopped working", "Warranty claim - panel dark"],
      ["One $model panel stopped lighting after $months months. No error code, the rest work. Warranty?",
       "The LED in one panel died. Bought it last year. What do I need to send?"],
      ["That's covered: PW-100 and PW-200 have 2 years, PW-300 5 years, counted from delivery. Please send your order "
       "number, the panel's serial number (back of the panel near the top connector) and a photo or short video. We "
       "decide within 5 business days; for approved claims we send a replacement panel and a prepaid label for the old "
       "one - we pay shipping both ways. Before that, please reseat the link connector once and run Discover panels to "
       "rule out a loose cable."],
      followups=[("Sent the photos and serial.",
                  "Thanks, claim approved - the replacement ships in the next days and the prepaid return label is in "
                  "your email. As it's natural wood, the grain of the new panel may differ slightly.")],
      vars={"model": ["PW-100", "PW-200"], "months": ["11", "14", "19"]}),

    S("pw300_crack", ["warranty", "pw-300", "wood"],
      ["Crack in solid wood slat", "PW-300 slat cracked"],
      ["A slat on one of our PW-300 panels has a crack along the grain. They're three years old.",
       "Hairline crack in a walnut slat after about 3 years. Still under warranty?"],
      ["The PW-300 has a 5-year warranty, so yes, it's still covered - cracks in solid slats are covered when the room "
       "was kept within 30-70 % humidity. The PW-300 logs the humidity history, and we'll look at it together with "
       "your claim. Please send your order number, the serial number and photos of the crack."],
      followups=[("The history shows 35-55 % most of the time.",
                  "That's well within range, so the claim is approved. We'll send a replacement panel with a prepaid "
                  "return label for the old one.")]),

    S("hub_dead", ["warranty", "pw-hub"],
      ["Hub completely dead", "PW-Hub won't turn on"],
      ["The hub's light is off and nothing happens, even with a different socket. It's 8 months old.",
       "PW-Hub dead since yesterday. Power supply LED is on, hub isn't."],
      ["Sorry about that. Please check the DC plug is fully in and that you're not powering it over USB-C - that port is "
       "for recovery only. If it still stays dark, it's a warranty case (2 years on the hub). Send me the serial number "
       "(underside, starts with PWH-) and your order number: we do an advance replacement, so the new hub ships within 3 "
       "business days, before you return the old one within 14 days with our label."]),

    S("cut_top_void", ["warranty", "cutting"],
      ["Panel dark after cutting", "Cut panel stopped working"],
      ["I shortened a panel from the top because the socket is at the bottom. Now it doesn't light up at all.",
       "After cutting 30 cm off the top end the LEDs are dead. Can you replace it?"],
      ["I'm sorry, but panels may only be shortened from the bottom end, within the printed cut zone. The top end holds "
       "the connector and the LED channel, and cutting there damages them; that voids the warranty, so we can't replace "
       "it free of charge. You can order a new panel; for the socket, you can cut an opening inside the cut zone (the "
       "lowest 600 mm) or leave a gap and cover the edges with PW-TRIM."],
      fail="That's not clearly explained in the quick guide, I want this escalated."),

    S("out_of_warranty_hub", ["warranty", "pw-hub"],
      ["Old hub broken", "Hub out of warranty"],
      ["My hub is about 3 years old and won't start anymore. Any option besides buying a new one?",
       "Out-of-warranty hub repair?"],
      ["The hub has a 2-year warranty, so it's outside it, but we offer an exchange for a refurbished hub for €69 "
       "instead of €129 for a new one. Reply with the serial number and I'll send the details."]),

    S("shipping_cost", ["shipping", "pricing"],
      ["Shipping costs", "How much is delivery?"],
      ["How much is shipping to $country for $items?",
       "What does delivery cost if I order $items to $country?"],
      ["Within the EU shipping is free from €300 order value. Below that it's €19 for orders containing panels and "
       "€6.90 for hub or accessories only. The UK, Switzerland and Norway are €39 per order, plus import duties "
       "and VAT collected by the carrier."],
      vars={"country": ["Austria", "Belgium", "Italy"], "items": ["one PW-200 panel", "a hub and two link cables"]}),

    S("delivery_time", ["shipping"],
      ["Delivery time", "When will my order arrive?"],
      ["I ordered yesterday. How long does delivery to $country usually take?",
       "How quickly do you ship to $country?"],
      ["Every order leaves our Hamburg warehouse within 2 business days (orders before 14:00 CET often the same or next "
       "day). From dispatch it's 2-4 business days within Germany, 4-7 to other EU countries and 6-10 to the UK, "
       "Switzerland and Norway. You get an email with a tracking link when it's dispatched."],
      vars={"country": ["France", "Spain", "the Netherlands", "Germany"]}),

    S("uk_customs", ["shipping", "customs"],
      ["Shipping to the UK", "Customs fees UK"],
      ["Do you ship to the UK and will I have to pay customs?",
       "I'm in Scotland. What are the shipping and import costs?"],
      ["Yes, we ship to the UK: €39 per order, 6-10 business days after dispatch. Import duties and VAT are not "
       "included in our prices; the carrier collects them on delivery."]),

    S("transport_damage", ["shipping", "damage"],
      ["Panel damaged in transit", "Box arrived broken"],
      ["One of the boxes arrived with a crushed corner and the panel inside has a broken slat.",
       "Delivery today, one panel is damaged. What now?"],
      ["Sorry about that! Please send photos of the box, the shipping label and the damaged panel - transport damage "
       "needs to be reported within 7 days of delivery. We'll send a replacement free of charge, usually within 3 "
       "business days, and you don't need to return a badly damaged panel; I'll tell you how to dispose of it."],
      followups=[("Photos attached.",
                  "Thank you, that's clear. The replacement panel is booked and ships within 3 business days; you'll "
                  "get the tracking link by email.")]),

    S("return_uninstalled", ["returns"],
      ["Return panels", "I want to send panels back"],
      ["I ordered $n panels but only need $m. Can I return the rest? They're still in the boxes.",
       "We changed our mind about the colour. Can we return the unopened panels?"],
      ["Yes, within 30 days of delivery, as long as they're unused, not installed or cut and in their packaging. Open My "
       "orders > Return items or reply here; you'll get an RMA number and a label. For returns with panels €25 is "
       "deducted from the refund (free if an item is faulty). The refund reaches your original payment method within 10 "
       "business days after we receive the return."],
      followups=[("Do I get the original shipping cost back?",
                  "For a complete return, yes, the original shipping is refunded too. For a partial return only the "
                  "returned items are refunded.")],
      vars={"n": ["6", "5", "4"], "m": ["4", "3", "2"]}),

    S("return_installed", ["returns"],
      ["Return installed panel", "Can I return a mounted panel?"],
      ["I mounted one panel to see how it looks and don't like it. Can I still return it?",
       "We screwed the panels on but the colour doesn't match our floor. Return possible?"],
      ["I'm sorry, installed (screwed on), cut, drilled or oiled panels can't be returned - the 30-day return is for "
       "unused panels in their packaging. Any panels you haven't mounted yet can go back within 30 days of delivery. "
       "Faulty panels are of course handled under the warranty."],
      fail="That's really disappointing, I'd like a supervisor to look at this."),

    S("pallet_delivery", ["shipping", "pallet"],
      ["Delivery of large order", "Pallet delivery?"],
      ["I've ordered $n panels. Will they come by parcel?",
       "How will my order of $n panels be delivered? I live on the third floor."],
      ["Orders of 6 or more panels travel on a pallet with a freight forwarder. The forwarder calls or emails you to "
       "agree a delivery window and delivers to the kerb or ground-floor entrance, so please plan help for carrying the "
       "boxes upstairs (each 2500 x 650 x 80 mm, 10-14 kg)."],
      vars={"n": ["8", "10", "12"]}),

    S("cancel_order", ["orders"],
      ["Cancel my order", "Change order"],
      ["I ordered the wrong finish an hour ago. Can I change it?",
       "Please cancel my order, I made a mistake."],
      ["No problem - changes and cancellations are free until the order is dispatched, usually within 24 hours. Please "
       "send me the order number and what you'd like instead."],
      followups=[("It's for the smoked oak instead of natural oak PW-200.",
                  "Done, the order now has smoked oak PW-200 panels - same price, €279 each. You'll get an updated "
                  "confirmation.")]),

    S("refund_missing", ["returns", "refund", "billing"],
      ["Where is my refund?", "Refund not received"],
      ["I returned two panels three weeks ago and haven't seen the refund yet.",
       "My return arrived at your warehouse on the 2nd but the money isn't back."],
      ["Refunds are made within 10 business days after we receive and check the return, to the original payment method; "
       "card refunds can take a few more days to show on the statement. Let me check the status of your return."],
      fail="It's been 15 business days now. Nothing."),

    S("double_charge", ["billing"],
      ["Charged twice", "Double payment"],
      ["My card was charged twice for the same order.",
       "I see two identical payments on my statement for one order."],
      ["I'm sorry about that. Often the second amount is only a reservation that disappears within a few days, but I'll "
       "check it with our finance team. Please don't send full card details by email - the order number is enough."],
      fail="The second charge is still there after a week."),

    S("reseller", ["sales", "reseller"],
      ["Reseller pricing", "Trade discount"],
      ["We're an interior design studio and order panels regularly. Do you have trade prices?",
       "Is there a reseller discount for larger quantities?"],
      ["Yes, resellers and business customers get tiered discounts on request and order through an account manager. "
       "Businesses can order with a VAT ID (EU reverse charge applies). I'll pass your details to our sales team. Note "
       "that the 30-day right of return applies to consumers only."]),

    S("which_model_studio", ["presales", "acoustics"],
      ["Which model for a home studio?", "Best panels for acoustics"],
      ["I want to reduce echo in my home recording studio. Which model is best?",
       "Which panel has the best sound absorption?"],
      ["The PW-300 Pro: 12 mm felt and NRC 0.85 (PW-200 0.70, PW-100 0.65), solid walnut or oak, RGBW light and a "
       "5-year warranty, €449 each. It also has a climate sensor. Covering about a quarter of the wall area already "
       "reduces echo noticeably. The PW-300 Starter bundle (3 panels + PW-Hub) is €1,399."]),

    S("mix_models", ["presales", "power"],
      ["Mixing models on one hub", "How many hubs do I need?"],
      ["I'd like 2 PW-300 and 4 PW-200 on one wall. One hub enough?",
       "Can one hub run two PW-300 and four PW-200 panels together?"],
      ["A hub supplies up to 144 W across both ports. PW-100 draws 12 W, PW-200 18 W, PW-300 24 W. 2 x 24 W + 4 x 18 W "
       "= 120 W, so that fits on one hub, even on a single port. If you later add a third PW-300 (144 W) you're exactly "
       "at the limit; anything beyond that needs a second hub."]),

    S("mix_models_two_hubs", ["presales", "power"],
      ["Ten PW-200 on one hub?", "Number of hubs for my wall"],
      ["I'm planning a wall with 10 PW-200 panels. How many hubs?",
       "Can one hub handle ten PW-200s?"],
      ["One hub drives at most 8 PW-200 (8 x 18 W = 144 W), so for 10 you need two hubs - for example 5 panels on "
       "each. The app groups both hubs into one room so they behave like one wall."]),

    S("fire_class", ["presales", "safety"],
      ["Fire rating for a restaurant", "Fire classification"],
      ["We want panels in a restaurant. What fire class do they have?",
       "Our office building requires class B materials. Which panels qualify?"],
      ["According to EN 13501-1: PW-100 and PW-200 are D-s2,d0, the PW-300 is B-s2,d0 thanks to its flame-retardant "
       "felt. Where class B is required please use PW-300 panels, and check your local building rules for escape "
       "routes."]),

    S("no_internet", ["pw-hub", "offline"],
      ["Lights without internet?", "Do the panels work offline"],
      ["If our internet is down, do the lights still work?",
       "Holiday cottage with no Wi-Fi - can I use the panels there?"],
      ["Yes. The touch strip (PW-200, PW-300) and Bluetooth control from the app work without Wi-Fi, and schedules stored "
       "on the hub keep running. Remote control, Matter and firmware updates need the hub online. For the initial setup "
       "the app needs an account and an internet connection once."]),

    S("factory_reset_sell", ["pw-hub", "reset"],
      ["Selling my hub", "How to factory reset"],
      ["I'm moving out and leaving the panels. How do I reset the hub for the new owner?",
       "What's the difference between restarting and resetting the hub?"],
      ["Pressing the reset pin for 1 second restarts the hub and keeps settings. Holding it for 10 seconds is a factory "
       "reset: the ring blinks green and Wi-Fi, scenes and pairing are erased. After that remove the hub from your app "
       "(Devices > PW-Hub > Remove) so the new owner can add it. The warranty transfers with the proof of purchase."]),
]

# ---------------------------------------------------------------------------------------------------------------
# German and French topics (same facts).
# ---------------------------------------------------------------------------------------------------------------
SCENARIOS += [
    S("de_e07", ["pw-hub", "wifi", "E07"], ["Hub verliert WLAN", "E07 - Hub blinkt orange"],
      ["Mein PW-Hub blinkt seit gestern orange und die App zeigt E07. Wir haben ein Mesh-System.",
       "Der Hub fliegt jeden Abend aus dem WLAN, Fehler E07."],
      ["E07 bedeutet, dass der Hub die WLAN-Verbindung verloren hat; das orange Blinken ist der Wiederverbindungsversuch. "
       "Bitte prüfen Sie: 1) Firmware 3.4.2 oder neuer - sie behebt eine Schleife bei Mesh-Routern mit Band Steering; "
       "2) das 2,4-GHz-Band ist aktiv, 5 GHz unterstützt der Hub nicht; 3) das Signal unter Status > WLAN ist besser als "
       "-70 dBm."],
      followups=[("Er war noch auf 3.4.0, ich habe jetzt aktualisiert.",
                  "Sehr gut. Falls E07 wiederkommt, hilft auf Mesh-Systemen ein eigener 2,4-GHz-Netzname für "
                  "Smart-Home-Geräte am zuverlässigsten.")],
      fail="Firmware ist 3.4.2, Signal -60 dBm, trotzdem E07.", lang="de"),
    S("de_return", ["returns"], ["Rücksendung", "Paneele zurückschicken"],
      ["Ich habe 4 Paneele bestellt, brauche aber nur 3. Kann ich eines zurückschicken? Es ist noch originalverpackt.",
       "Wie funktioniert die Rückgabe? Die Farbe passt nicht zu unserem Boden, die Paneele sind noch nicht montiert."],
      ["Ja, innerhalb von 30 Tagen nach Lieferung, solange die Paneele unbenutzt, nicht montiert oder gekürzt und "
       "verpackt sind. Sie erhalten eine RMA-Nummer und ein Etikett; bei Rücksendungen mit Paneelen ziehen wir 25 € "
       "von der Erstattung ab (bei defekter Ware kostenlos). Die Erstattung erfolgt innerhalb von 10 Werktagen nach "
       "Eingang auf das ursprüngliche Zahlungsmittel."], lang="de"),
    S("de_drywall", ["installation", "mounting", "drywall"], ["Montage auf Gipskarton", "Welche Dübel für Trockenbau?"],
      ["Kann ich die mitgelieferten Dübel für eine Gipskartonwand verwenden?",
       "Wir wollen zwei PW-200 an eine Trockenbauwand hängen, Ständer finde ich keine. Was brauche ich?"],
      ["Bitte nicht - die Nylondübel im Karton sind nur für Beton und Vollziegel. Ohne Ständer verwenden Sie "
       "Metall-Hohlraumdübel mit mindestens 25 kg Tragkraft, drei pro Schiene. Wenn Sie einen Ständer treffen, "
       "schrauben Sie möglichst zwei der drei Schrauben pro Schiene hinein."],
      followups=[("Danke! Und wie lange sollen die Paneele vorher liegen?",
                  "48 Stunden flach liegend im Raum, in dem sie montiert werden, damit sich das Holz an Temperatur und "
                  "Luftfeuchtigkeit anpasst.")], lang="de"),
    S("de_warranty300", ["warranty", "pw-300"], ["Garantie PW-300", "Riss im Massivholz"],
      ["Eine Lamelle an unserem PW-300 hat nach drei Jahren einen Riss. Ist das noch Garantie?",
       "Wie lange ist die Garantie beim PW-300?"],
      ["Der PW-300 hat 5 Jahre Garantie ab Lieferdatum (PW-100, PW-200 und der Hub 2 Jahre). Risse in Massivholz sind "
       "abgedeckt, wenn der Raum innerhalb von 30-70 % Luftfeuchtigkeit lag - der PW-300 zeichnet den Verlauf auf. "
       "Bitte schicken Sie uns Bestellnummer, Seriennummer (Rückseite oben am Anschluss) und Fotos."], lang="de"),
    S("fr_delivery", ["shipping"], ["Délai de livraison en France", "Frais de port"],
      ["Bonjour, combien de temps faut-il pour une livraison en France et combien coûtent les frais de port ?",
       "J'ai commandé deux panneaux PW-100 hier. Quand vont-ils arriver à Lyon ?"],
      ["Chaque commande quitte notre entrepôt de Hambourg sous 2 jours ouvrés, puis la livraison en France prend 4 à 7 "
       "jours ouvrés. La livraison est gratuite dans l'UE à partir de 300 € ; en dessous, elle coûte 19 € pour une "
       "commande avec panneaux. Vous recevrez un lien de suivi par e-mail à l'expédition."], lang="fr"),
    S("fr_cleaning", ["care", "cleaning"], ["Entretien des panneaux", "Comment nettoyer le bois"],
      ["Comment nettoyer les panneaux ? Il y a des traces de doigts sur les lames.",
       "Puis-je utiliser un nettoyeur vapeur sur les panneaux en chêne ?"],
      ["Surtout pas de vapeur, de solvants ni de sprays : ils abîment la finition et l'électronique. Dépoussiérez avec un "
       "chiffon microfibre sec dans le sens du fil. Pour les traces : éteignez les panneaux, débranchez le hub, utilisez "
       "un chiffon à peine humide (eau, une goutte de savon neutre), puis séchez aussitôt. Attendez 30 minutes avant de "
       "rebrancher le hub."], lang="fr"),
    S("fr_e03", ["panels", "E03"], ["Panneau non détecté E03", "Un panneau reste éteint"],
      ["Un panneau au milieu du mur reste éteint et l'application affiche E03.",
       "Erreur E03 après un déménagement, le troisième panneau ne s'allume plus."],
      ["E03 signifie en général qu'un connecteur PW-LINK n'est pas bien enclenché. Cherchez le premier panneau éteint de "
       "la chaîne, décrochez-le des rails, rebranchez les deux connecteurs jusqu'au clic, puis lancez « Détecter les "
       "panneaux » dans l'application."],
      followups=[("C'était bien le connecteur, merci !", "Parfait, c'est la cause la plus fréquente après un "
                  "déménagement. Bonne journée !")],
      fail="J'ai tout rebranché deux fois, toujours E03.", lang="fr"),
]

# ---------------------------------------------------------------------------------------------------------------
# People, phrasing around the facts, and personal data.
# ---------------------------------------------------------------------------------------------------------------
AGENTS = [  # (zendesk id, full name, languages)
    (501, "Anna Keller", "en de"), (502, "Tom Berger", "en de"), (503, "Priya Nair", "en"),
    (504, "Lukas Hoffmann", "en de"), (505, "Sofia Marini", "en"), (506, "James O'Connor", "en"),
    (507, "Camille Durand", "en fr"), (508, "Jonas Weber", "en de"),
]
FIRST = ["Maria", "David", "Sarah", "Michael", "Laura", "Ahmed", "Julia", "Peter", "Emma", "Lars", "Chloe", "Marco",
         "Fatima", "Oliver", "Ingrid", "Tomasz", "Hannah", "Luca", "Elif", "Daniel", "Sophie", "Erik", "Nina", "Pablo",
         "Katrin", "Ben", "Aisha", "Jan", "Clara", "Mateo", "Lena", "Robert"]
LAST = ["Schmidt", "Johnson", "Dubois", "Rossi", "Nowak", "Jensen", "Müller", "García", "Smith", "Yilmaz", "Larsen",
        "Fischer", "Brown", "Novak", "Bianchi", "Andersson", "Wagner", "Martin", "Kowalski", "Evans", "Becker", "Moreau"]
DE_FIRST = ["Stefan", "Anke", "Jürgen", "Sabine", "Felix", "Monika"]
FR_FIRST = ["Julien", "Élodie", "Mathieu", "Camille", "Nicolas", "Léa"]

GREET_CUSTOMER = {
    "en": ["Hi,", "Hello,", "Hi there,", "Good morning,", "Hello Penguin Wood team,", "", "", ""],
    "de": ["Hallo,", "Guten Tag,", "Hallo zusammen,", ""],
    "fr": ["Bonjour,", "Bonjour,", ""],
}
GREET_CUSTOMER_KNOWN = {"en": ["Hi $af,", "Thanks $af!", "Hello $af,", ""], "de": ["Hallo $af,", "Danke, $af!", ""],
                        "fr": ["Bonjour $af,", "Merci $af !", ""]}
SIGN_CUSTOMER = {
    "en": ["Thanks,\n$cf", "Best regards,\n$cn", "Cheers, $cf", "Sent from my iPhone", "$cn", "", "", ""],
    "de": ["Viele Grüße\n$cn", "Danke und Gruß,\n$cf", "Gesendet von meinem iPhone", ""],
    "fr": ["Cordialement,\n$cn", "Merci,\n$cf", ""],
}
GREET_AGENT_AGAIN = {"en": ["Hi $cf,", "Hi again $cf,", "", ""], "de": ["Hallo $cf,", ""], "fr": ["Bonjour $cf,", ""]}
GREET_AGENT = {"en": ["Hi $cf,", "Hello $cf,", "Dear $cn,", "Hi $cf, thanks for reaching out.",
                      "Hi $cf, thanks for getting in touch with Penguin Wood Support."],
               "de": ["Hallo $cf,", "Guten Tag $cn,", "Hallo $cf, danke für Ihre Nachricht."],
               "fr": ["Bonjour $cf,", "Bonjour $cn,"]}
SIGN_AGENT = {
    "en": ["Best regards,\n$af — Penguin Wood Support", "Kind regards,\n$an\nPenguin Wood Co. | Customer Support",
           "Cheers,\n$af", "$af\nPenguin Wood Support · support@penguinwood.example · +49 40 555 0190", ""],
    "de": ["Viele Grüße\n$af — Penguin Wood Support", "Freundliche Grüße\n$an\nPenguin Wood Co. Kundenservice"],
    "fr": ["Cordialement,\n$af — Support Penguin Wood", "Bien à vous,\n$an\nPenguin Wood Co."],
}
THANKS_CUSTOMER = {"en": ["Thanks, that helps!", "Perfect, thank you so much.", "Great, thanks for the quick answer.",
                          "Brilliant, thanks for the help!", "OK, understood. Thanks."],
                   "de": ["Danke, das hilft!", "Super, vielen Dank.", "Alles klar, danke!"],
                   "fr": ["Merci, c'est clair !", "Parfait, merci beaucoup.", "D'accord, merci."]}
CLOSE_AGENT = {"en": ["Glad to hear it! Enjoy your panels.", "You're welcome - happy to help.",
                      "Great! I'll close this ticket now; just reply if anything else comes up."],
               "de": ["Freut mich! Viel Freude mit den Paneelen.", "Gern geschehen - ich schließe das Ticket."],
               "fr": ["Avec plaisir ! Bonne journée.", "Ravi d'avoir pu aider, je clôture le ticket."]}
LOW_VALUE_AGENT = {"en": ["Thanks for your patience - let me check with the team and get back to you.",
                          "I've passed this on to our technical team and will update you as soon as I hear back.",
                          "Thank you for contacting Penguin Wood Support. We have received your request and will reply "
                          "within one business day.",
                          "Let me look into this and come back to you."],
                   "de": ["Danke für Ihre Geduld - ich kläre das mit dem Team und melde mich.",
                          "Vielen Dank für Ihre Anfrage. Wir melden uns innerhalb eines Werktags."],
                   "fr": ["Merci de votre patience, je vérifie avec l'équipe et je reviens vers vous."]}
NUDGE_CUSTOMER = {"en": ["Any news on this?", "Just following up - is there an update?", "Hello? Still waiting."],
                  "de": ["Gibt es schon Neuigkeiten?"], "fr": ["Des nouvelles ?"]}
ESCALATE_AGENT = {"en": ["I'm escalating this to our tier 2 team with all the details. They will contact you within 2 "
                         "business days.", "Escalating to tier 2. The ticket stays open until they have looked at it.",
                         "Thanks for trying all of that. I've escalated your case to tier 2; they'll be in touch."],
                  "de": ["Ich gebe das an unser Tier-2-Team weiter; es meldet sich innerhalb von 2 Werktagen."],
                  "fr": ["Je transmets votre dossier à notre équipe de niveau 2, elle vous contactera sous 2 jours "
                         "ouvrés."]}
UNRESOLVED_CUSTOMER = {"en": ["That doesn't really answer my question.", "Hm, not what I hoped for.",
                              "OK. I'll think about it."],
                       "de": ["Das hat leider nicht geholfen."], "fr": ["Ça n'a pas aidé, malheureusement."]}
TOPIC_CHANGE = ["One more thing while I have you: ", "Different question: ", "Also, unrelated - ",
                "By the way, ", "Oh, and another question. "]

PHONES = ["+49 151 2345 6789", "+49 (0)30 5550 1423", "0171/5550123", "+44 20 7946 0958", "07700 900461",
          "+33 6 12 34 56 78", "(030) 555-0142", "+1 415-555-0199", "0049 89 5550 3321", "+43 660 555 1234"]
ADDRESSES = ["Lindenstraße 14, 10969 Berlin", "22 Baker Row, Leeds LS1 4AB", "12 rue des Lilas, 69003 Lyon",
             "Keizersgracht 221, 1016 DV Amsterdam", "Via Roma 8, 20121 Milano", "Am Kirchberg 3a, 81675 München",
             "Storgata 45, 0182 Oslo", "Calle Mayor 17, 28013 Madrid"]
CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881", "4111-1111-1111-1111",
         "378282246310005"]
IBANS = ["DE89 3704 0044 0532 0130 00", "GB29 NWBK 6016 1331 9268 19", "FR14 2004 1010 0505 0001 3M02 606",
         "NL91ABNA0417164300", "DE44 5001 0517 5407 3249 31"]
IPS = ["192.168.178.34", "192.168.1.50", "10.0.0.12", "203.0.113.45", "198.51.100.7"]
PII_TEXT = {
    "en": {"order": ["My order number is $order.", "Order: $order", "(order $order)"],
           "email": ["You can also reach me at $email.", "My account email is $email, in case you need it."],
           "phone": ["Feel free to call me on $phone.", "My number is $phone if a call is easier."],
           "address": ["Please send anything to $address.", "Delivery address: $address."],
           "card": ["I paid with my card $card.", "The card is $card, exp 09/28."],
           "iban": ["For the refund: IBAN $iban, account holder $cn.", "Please refund to $iban."],
           "ip": ["The hub shows up in my router as $ip.", "My router says the hub has IP $ip."]},
    "de": {"order": ["Meine Bestellnummer ist $order."], "email": ["Meine E-Mail: $email."],
           "phone": ["Sie erreichen mich unter $phone."], "address": ["Meine Adresse: $address."],
           "iban": ["Bitte auf $iban erstatten."]},
    "fr": {"order": ["Mon numéro de commande est $order."], "email": ["Mon e-mail : $email."],
           "phone": ["Vous pouvez m'appeler au $phone."], "address": ["Mon adresse : $address."]},
}
BILLING = {"double_charge": ["card", "order"], "refund_missing": ["iban", "order", "card"]}
REWORD = [("Can I", "Is it possible to"), ("can I", "is it possible to"), ("I want", "I'd like"), ("What", "what"),
          ("How do I", "how can I"), ("my ", "our "), ("My ", "Our "), ("?", "??"), ("The ", "the "), ("I'm", "I am"),
          ("doesn't", "does not"), ("It's", "it is"), ("panels", "panel"), ("hub", "Hub"), ("Is ", "is "),
          ("How much", "how much"), ("Do I", "do i"), ("the app", "your app"), ("keeps", "keep"), ("now", "right now")]
INTERNAL_NOTES = [
    "Customer is a reseller, check discount tier before quoting anything.",
    "Checked cloud logs: hub last seen 3 days ago, RSSI -81 dBm. Signal problem, not firmware.",
    "Possible duplicate of #$other, merge if the customer confirms.",
    "Approved advance replacement, warehouse notified. RMA-2026-0$rma.",
    "Don't promise a delivery date - forwarder backlog this week.",
    "Refund issued in the shop backend, card ending 1111. Should show in 3-5 days.",
    "Asked tier 2 whether the E07 loop is the known mesh issue fixed in 3.4.2.",
    "VIP: architect, has ordered 40+ panels this year.",
    "Order $order: paid by bank transfer, payment arrived today.",
    "Serial PW3-2511-0$rma from the faulty batch? Check with QA before replacing.",
    "Customer called twice, a bit frustrated. Keep replies short and concrete.",
    "Same person as ticket #$other, different email address.",
]


def luhn_ok(number):
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


assert all(luhn_ok(c) for c in CARDS), "test card numbers must pass the Luhn check"


class Generator:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.stats = {}

    def count(self, key, n=1):
        self.stats[key] = self.stats.get(key, 0) + n

    def pick(self, items):
        return items[self.rnd.randrange(len(items))]

    def person(self, lang):
        first = self.pick(DE_FIRST if lang == "de" else FR_FIRST if lang == "fr" else FIRST)
        return first, f"{first} {self.pick(LAST)}"

    def email_for(self, name):
        local = name.lower().replace(" ", self.pick([".", "_", ""])).replace("ü", "ue").replace("é", "e")
        local = local.replace("í", "i").replace("'", "")
        return f"{local}{self.pick(['', '', '84', '1990', '.home'])}@{self.pick(['example.com', 'mail.example', 'example.org', 'post.example.net'])}"

    def conversation(self, scenario, plan, extra_topics=None, pii_kinds=()):
        """Builds one thread as (role, text) turns plus metadata. plan: normal | single | unresolved | escalated."""
        rnd, lang = self.rnd, scenario["lang"]
        cf, cn = self.person(lang)
        agent_id, an, agent_langs = self.pick([a for a in AGENTS if lang in a[2].split()])
        af = an.split()[0]
        values = {}
        for topic in [scenario] + list(extra_topics or []):
            for k, v in topic["vars"].items():
                values.setdefault(k, self.pick(v))
        order = f"PW-ORD-{rnd.randrange(100000, 999999)}"
        pii = {"order": order, "email": self.email_for(cn), "phone": self.pick(PHONES), "address": self.pick(ADDRESSES),
               "card": self.pick(CARDS), "iban": self.pick(IBANS), "ip": self.pick(IPS)}
        names = {"cf": cf, "cn": cn, "af": af, "an": an}
        fill = lambda text: Template(text).safe_substitute({**values, **pii, **names})
        agent_sign = self.pick(SIGN_AGENT[lang])
        customer_sign = self.pick(SIGN_CUSTOMER[lang])
        pii_queue = list(pii_kinds)
        turns = []

        def customer(body, first=False):
            known = any(r == "agent" for r, _ in turns)
            greet = self.pick(GREET_CUSTOMER_KNOWN[lang] if known else GREET_CUSTOMER[lang])
            sign = customer_sign if first or rnd.random() < 0.3 else ""
            if first and "phone" in pii_queue and rnd.random() < 0.5:
                pii_queue.remove("phone")
                sign = "$cn\n$phone"
            extra = []
            if pii_queue and (first or rnd.random() < 0.6):
                extra.append(self.pick(PII_TEXT[lang][pii_queue.pop(0)]))
            parts = [p for p in [greet, body + (" " + " ".join(extra) if extra else ""), sign] if p]
            turns.append(("customer", fill("\n\n".join(parts))))

        def agent(body, plain=False):
            if plain:
                turns.append(("agent", fill(body)))
                return
            again = any(r == "agent" for r, _ in turns)
            parts = [self.pick(GREET_AGENT_AGAIN[lang] if again else GREET_AGENT[lang]), body, agent_sign]
            turns.append(("agent", fill("\n\n".join(p for p in parts if p))))

        subject = fill(self.pick(scenario["subjects"]))
        opening = fill(self.pick(scenario["openings"]))
        customer(opening, first=True)
        resolution = "resolved"
        if plan == "single":
            resolution = "unresolved"
        else:
            if rnd.random() < 0.18:
                agent(self.pick(LOW_VALUE_AGENT[lang]), plain=rnd.random() < 0.5)
                self.count("low_value_replies")
                if plan == "unresolved" and rnd.random() < 0.4:
                    turns.append(("customer", fill(self.pick(NUDGE_CUSTOMER[lang]))))
                    return self.finish(scenario, extra_topics, subject, turns, "unresolved", cf, cn, agent_id, an, pii, opening)
                if rnd.random() < 0.5:
                    turns.append(("customer", fill(self.pick(NUDGE_CUSTOMER[lang]))))
            agent(self.pick(scenario["answers"]))
            if plan == "escalated":
                customer(scenario["fail"] or self.pick(UNRESOLVED_CUSTOMER[lang]))
                agent(self.pick(ESCALATE_AGENT[lang]))
                self.count("low_value_replies")
                resolution = "escalated"
                if rnd.random() < 0.4:
                    customer("OK, waiting for them." if lang == "en" else self.pick(THANKS_CUSTOMER[lang]))
            elif plan == "unresolved":
                if rnd.random() < 0.5:
                    customer(scenario["fail"] or self.pick(UNRESOLVED_CUSTOMER[lang]))
                resolution = "unresolved"
            else:
                more = extra_topics or []
                ups = scenario["followups"]
                if not more:
                    ups = ups[: rnd.randrange(len(ups) + 1)]
                room = lambda: len(turns) + 2 <= 12  # the brief: threads of 2-12 messages
                for question, answer in ups:
                    if room():
                        customer(question)
                        agent(answer)
                for extra in more:  # the customer changes topic midway; long threads
                    if room():
                        customer(join_topic(self.pick(TOPIC_CHANGE), self.pick(extra["openings"])))
                        agent(self.pick(extra["answers"]))
                    for question, answer in extra["followups"]:
                        if room():
                            customer(question)
                            agent(answer)
                if rnd.random() < 0.6 and len(turns) <= 10:
                    customer(self.pick(THANKS_CUSTOMER[lang]))
                    if rnd.random() < 0.5:
                        agent(self.pick(CLOSE_AGENT[lang]))
        return self.finish(scenario, extra_topics, subject, turns, resolution, cf, cn, agent_id, an, pii, opening)

    def finish(self, scenario, extra_topics, subject, turns, resolution, cf, cn, agent_id, agent_name, pii, opening):
        tags = list(scenario["tags"])
        for extra in extra_topics or []:
            tags += [t for t in extra["tags"] if t not in tags]
        if scenario["lang"] != "en":
            tags.append("lang-" + scenario["lang"])
        if resolution == "escalated":
            tags.append("tier2")
        assert len(turns) <= 12, f"{scenario['key']}: {len(turns)} messages, the brief allows 2-12"
        return {"scenario": scenario, "subject": subject, "turns": turns, "resolution": resolution,
                "customer_first": cf, "customer_name": cn, "agent_id": agent_id, "agent_name": agent_name,
                "tags": tags, "pii": pii, "opening": opening, "lang": scenario["lang"]}

    def satisfaction(self, resolution, single):
        if single:
            return None
        weights = {"resolved": [(5, 50), (4, 28), (3, 8), (2, 2), (None, 12)],
                   "unresolved": [(1, 30), (2, 30), (3, 10), (None, 30)],
                   "escalated": [(2, 30), (3, 30), (1, 10), (None, 30)]}[resolution]
        return self.rnd.choices([v for v, _ in weights], [w for _, w in weights])[0]

    def times(self, count, start):
        stamps, t = [], start
        for i in range(count):
            stamps.append(t)
            t += timedelta(minutes=self.rnd.choice([4, 11, 25, 48, 95, 180, 420, 960, 1500]))
        return [s.strftime("%Y-%m-%dT%H:%M:%SZ") for s in stamps]

    def created(self):
        base = datetime(2026, 2, 16, 7, 0, tzinfo=timezone.utc)
        return base + timedelta(days=self.rnd.randrange(40), minutes=self.rnd.randrange(12 * 60))


def join_topic(lead, question):
    """'By the way, ' + 'The hub ...' reads 'By the way, the hub ...'; names and 'I' keep their capital."""
    if lead.endswith(", ") or lead.endswith("- "):
        if not re.match(r"(I\b|I'|PW|[A-Z]{2})", question):
            question = question[0].lower() + question[1:]
    return lead + question


def reword(text, rnd):
    """Light rewording for near-duplicate tickets: same question, slightly different words."""
    changed, done = text, 0
    for old, new in rnd.sample(REWORD, len(REWORD)):
        if old in changed and done < 2:
            changed = changed.replace(old, new, 1)
            done += 1
    if changed == text:
        changed = text.rstrip(".") + ". Thanks in advance."
    return changed


# ---------------------------------------------------------------------------------------------------------------
# Planning: which topic, outcome, language and personal data each ticket gets.
# ---------------------------------------------------------------------------------------------------------------
PII_KINDS = {"en": ["order", "email", "phone", "address", "ip", "order", "phone"],
             "de": ["order", "email", "phone", "address", "iban"], "fr": ["order", "email", "phone", "address"]}
COMMERCE_TAGS = {"returns", "shipping", "orders", "billing", "refund", "warranty"}
COMMERCE_PII_KINDS = ["card", "iban", "address", "order"]


def plan(gen, total, singles, unresolved, escalated, langs, topic_changes, pii_share):
    rnd = gen.rnd
    outcomes = ["single"] * singles + ["unresolved"] * unresolved + ["escalated"] * escalated
    outcomes += ["normal"] * (total - len(outcomes))
    rnd.shuffle(outcomes)
    languages = [lang for lang, n in langs.items() for _ in range(n)]
    languages += ["en"] * (total - len(languages))
    rnd.shuffle(languages)
    decks = {}
    tickets = []
    topic_left = topic_changes
    for outcome, lang in zip(outcomes, languages):
        pool = [s for s in SCENARIOS if s["lang"] == lang]
        if outcome == "escalated":
            pool = [s for s in pool if s["fail"]]
        deck = decks.setdefault((lang, outcome == "escalated"), [])
        if not deck:
            deck.extend(rnd.sample(pool, len(pool)))
        scenario = deck.pop()
        extra_topics = None
        if lang == "en" and outcome == "normal" and topic_left and rnd.random() < 0.25:
            others = [s for s in SCENARIOS if s["lang"] == "en" and s["tags"][0] != scenario["tags"][0]]
            extra_topics = rnd.sample(others, rnd.choice([1, 1, 2]))
            topic_left -= 1
        kinds = []
        if scenario["key"] in BILLING:
            kinds = rnd.sample(BILLING[scenario["key"]], 2)
        elif rnd.random() < pii_share:
            pool = PII_KINDS[lang] + (COMMERCE_PII_KINDS if lang == "en" and COMMERCE_TAGS & set(scenario["tags"]) else [])
            kinds = rnd.sample(pool, rnd.choice([1, 1, 2, 3]))
        kinds = list(dict.fromkeys(kinds))
        conv = gen.conversation(scenario, outcome, extra_topics, kinds)
        conv["single"] = outcome == "single"
        conv["topic_change"] = extra_topics is not None
        conv["start"] = gen.created()
        conv["satisfaction"] = gen.satisfaction(conv["resolution"], conv["single"])
        tickets.append(conv)
    return tickets


def near_duplicates(gen, tickets, count):
    """Same question asked again a few days later, lightly reworded; the answer is the same."""
    rnd = gen.rnd
    candidates = [t for t in tickets if t["lang"] == "en" and not t["single"] and t["resolution"] == "resolved"]
    copies = []
    for original in rnd.sample(candidates, count):
        copy = dict(original)
        first_role, first_text = original["turns"][0]
        copy["turns"] = [(first_role, first_text.replace(original["opening"], reword(original["opening"], rnd)))]
        copy["turns"] += original["turns"][1:]
        copy["start"] = original["start"] + timedelta(days=rnd.randrange(1, 6), minutes=rnd.randrange(600))
        copy["near_duplicate_of"] = original
        copies.append(copy)
    return copies


def pii_found(conv, texts):
    joined = "\n".join(texts)
    return sorted({kind for kind, value in conv["pii"].items() if value in joined})


# ---------------------------------------------------------------------------------------------------------------
# Rendering the three formats.
# ---------------------------------------------------------------------------------------------------------------
def render_conversations(gen):
    rnd = gen.rnd
    tickets = plan(gen, total=134, singles=6, unresolved=9, escalated=10, langs={"de": 5, "fr": 3},
                   topic_changes=10, pii_share=0.26)
    tickets += near_duplicates(gen, tickets, 8)
    tickets.sort(key=lambda t: t["start"])
    alt_keys = set(rnd.sample(range(len(tickets)), 6))
    lines = []
    for index, conv in enumerate(tickets):
        tid = f"PW-{10001 + index}"
        conv["ticket_id"] = tid
        turns = list(conv["turns"])
        if not conv["single"] and rnd.random() < 0.08 and len(turns) < 12:
            turns.insert(1, ("agent", f"Your request ({tid}) has been received and is being reviewed by our support "
                                      "staff. To add additional comments, reply to this email."))
            gen.count("conversations.auto_replies")
        texts = []
        for i, (role, text) in enumerate(turns):
            if role == "agent" and i > 0 and rnd.random() < 0.1:
                text = f"Ticket #{tid} has been updated.\n\n{text}"
                gen.count("conversations.boilerplate_updated")
            elif role == "customer" and i > 0 and rnd.random() < 0.1:
                text = f"Re: [Ticket #{tid}] {conv['subject']}\n\n{text}"
                gen.count("conversations.boilerplate_re")
            texts.append(text)
        times = gen.times(len(turns), conv["start"])
        role_key, text_key = ("author", "content") if index in alt_keys else ("role", "text")
        record = {"ticket_id": tid, "subject": conv["subject"], "created_at": times[0], "tags": conv["tags"],
                  "resolution": conv["resolution"], "satisfaction": conv["satisfaction"],
                  "customer_name": conv["customer_name"], "agent_name": conv["agent_name"],
                  "messages": [{role_key: role, text_key: text, "time": t}
                               for (role, _), text, t in zip(turns, texts, times)]}
        lines.append(json.dumps(record, ensure_ascii=False))
        count_ticket(gen, "conversations", conv, texts, len(turns))
        if index in alt_keys:
            gen.count("conversations.author_content_keys")
    return insert_exact_duplicates(gen, "conversations", lines, 8)


def insert_exact_duplicates(gen, name, lines, count):
    """The same ticket exported twice (an export re-run or an updated ticket), byte for byte."""
    rnd = gen.rnd
    result = list(lines)
    for source in sorted(rnd.sample(range(len(lines) - 10), count), reverse=True):
        at = rnd.randrange(source + 1, len(result) + 1)
        result.insert(at, lines[source])
    gen.count(f"{name}.exact_duplicates", count)
    return result


def count_ticket(gen, name, conv, texts, message_count):
    gen.count(f"{name}.tickets")
    gen.count(f"{name}.resolution.{conv['resolution']}")
    gen.count(f"{name}.lang.{conv['lang']}")
    gen.count(f"{name}.messages", message_count)
    if conv["single"]:
        gen.count(f"{name}.single_message")
    if conv["topic_change"]:
        gen.count(f"{name}.topic_change")
    if message_count >= 8:
        gen.count(f"{name}.long_threads_8plus")
    if "near_duplicate_of" in conv:
        gen.count(f"{name}.near_duplicates")
    found = pii_found(conv, texts)
    if found:
        gen.count(f"{name}.with_pii")
    for kind in found:
        gen.count(f"{name}.pii.{kind}")


def render_zendesk(gen):
    rnd = gen.rnd
    tickets = plan(gen, total=64, singles=3, unresolved=5, escalated=5, langs={"de": 2, "fr": 2},
                   topic_changes=5, pii_share=0.33)
    tickets += near_duplicates(gen, tickets, 3)
    tickets.sort(key=lambda t: t["start"])
    requesters = {}
    comment_id = 400001
    lines = []
    for index, conv in enumerate(tickets):
        zid = 20001 + index
        original = conv.get("near_duplicate_of")
        key = id(original) if original is not None else id(conv)
        if key not in requesters:
            requesters[key] = 9001 + len(requesters)
        requester_id = requesters[key]
        times = gen.times(len(conv["turns"]), conv["start"])
        comments, texts, previous_agent = [], [], None
        for (role, text), t in zip(conv["turns"], times):
            if role == "customer" and previous_agent and rnd.random() < 0.3:
                quoted = previous_agent.splitlines()[0]
                text += (f"\n\nOn {t[:10]}, Penguin Wood Support <support@penguinwood.example> wrote:\n> {quoted}\n> ...")
                gen.count("zendesk.quoted_replies")
            if role == "agent":
                previous_agent = text
            texts.append(text)
            comments.append({"id": 0, "author_id": requester_id if role == "customer" else conv["agent_id"],
                             "public": True, "body": text, "created_at": t})
        if not conv["single"] and rnd.random() < 0.55:
            for _ in range(rnd.choice([1, 1, 2])):
                at = rnd.randrange(1, len(comments) + 1)
                before = datetime.strptime(comments[at - 1]["created_at"], "%Y-%m-%dT%H:%M:%SZ")
                note = Template(rnd.choice(INTERNAL_NOTES)).safe_substitute(
                    other=20001 + rnd.randrange(len(tickets)), rma=rnd.randrange(1000, 9999), order=conv["pii"]["order"])
                author = rnd.choice([conv["agent_id"], conv["agent_id"], 503, 508])
                comments.insert(at, {"id": 0, "author_id": author, "public": False, "body": note,
                                     "created_at": (before + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")})
                gen.count("zendesk.internal_notes")
        for comment in comments:  # Zendesk comment ids grow with time, notes included
            comment["id"] = comment_id
            comment_id += 1
        status = {"resolved": rnd.choice(["solved", "solved", "closed"]),
                  "unresolved": rnd.choice(["open", "pending"]), "escalated": "open"}[conv["resolution"]]
        score = {"resolved": ["good", "good", "good", "offered", "unoffered", "bad"],
                 "unresolved": ["bad", "offered", "unoffered"], "escalated": ["bad", "offered", "unoffered"]}
        rating = "unoffered" if conv["single"] else rnd.choice(score[conv["resolution"]])
        record = {"id": zid, "subject": conv["subject"], "status": status, "tags": [t.lower().replace("-", "_") for t in conv["tags"]],
                  "created_at": times[0], "satisfaction_rating": {"score": rating},
                  "requester": {"id": requester_id, "name": conv["customer_name"], "email": conv["pii"]["email"]},
                  "assignee": {"id": conv["agent_id"], "name": conv["agent_name"]}, "comments": comments}
        lines.append(json.dumps(record, ensure_ascii=False))
        count_ticket(gen, "zendesk", conv, texts, len(conv["turns"]))
    return insert_exact_duplicates(gen, "zendesk", lines, 3)


def render_transcripts(gen):
    rnd = gen.rnd
    tickets = plan(gen, total=10, singles=0, unresolved=1, escalated=1, langs={"de": 1},
                   topic_changes=1, pii_share=0.3)
    blocks = []
    for index, conv in enumerate(tickets):
        lines = [f"Ticket: PW-{30001 + index}"] if index % 4 != 3 else []
        texts = []
        for role, text in conv["turns"]:
            body = [line for line in text.splitlines() if line.strip()]
            assert not any(line.startswith(("Customer:", "Agent:")) or line == "---" for line in body)
            lines.append(f"{role.capitalize()}: {body[0]}")
            lines.extend(body[1:])
            texts.append(text)
        blocks.append("\n".join(lines))
        count_ticket(gen, "transcripts", conv, texts, len(conv["turns"]))
    return "\n---\n".join(blocks) + "\n"


def main():
    gen = Generator(SEED)
    conversations = render_conversations(gen)
    zendesk = render_zendesk(gen)
    transcripts = render_transcripts(gen)
    for name, content in [("conversations.jsonl", "\n".join(conversations) + "\n"),
                          ("zendesk-export.jsonl", "\n".join(zendesk) + "\n"), ("transcripts.txt", transcripts)]:
        (OUT / name).write_text(content, encoding="utf-8", newline="\n")
    width = max(len(k) for k in gen.stats)
    for key in sorted(gen.stats):
        print(f"{key:<{width}}  {gen.stats[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
