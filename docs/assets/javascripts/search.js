/* Search that helps: runs before Material's bundle (loaded just above it in
   overrides/main.html) and wraps the Web Worker the bundle starts for its search. It
   changes nothing but the order and choice of the results the worker sends back:

   1. Crisis words first. When a query is about suicide, killing or hurting oneself,
      wanting to die, overdose or self-harm (plain words, slang and typos), the "Get help
      now" page is the first result, with the part that fits (a country, overdose).
   2. Typos forgiven. When a word of five or more letters matches nothing, the query is
      asked again with that word fuzzy (edit distance 1, then 2 for words of eight letters
      or more), and the reader is told which word was searched for instead. A page word
      is used only if it is that close to what was typed.
   3. Word forms: a word that matches nothing is asked again without its ending
      ("addicted" finds "addiction" and "addictive"), before any typo is guessed.
   4. The references and "What changed" pages are lists: for a topic word they stay below
      the first two pages that explain the topic (not when the query names them).

   Guarded: it acts only on messages of the shape Material 9.x sends and receives (a query
   string out, groups of documents back). Anything else (another theme version, Zensical's
   own search engine) passes through untouched, so search works as it would without this
   file. Nothing here leaves the browser: queries stay between the page and its worker. */
(function () {
  "use strict";

  var Base = window.Worker;
  if (typeof Base !== "function" || !window.Promise || !Array.prototype.forEach) return;
  var QUERY = 2, RESULT = 3;

  /* The browser's own postMessage and addEventListener, under any other wrapper: the extra
     queries asked here are answered here, and never seen by anything else. */
  function deepest(name) {
    var found = null;
    for (var p = Base.prototype; p; p = Object.getPrototypeOf(p)) {
      if (Object.prototype.hasOwnProperty.call(p, name)) found = p[name];
    }
    return found;
  }
  var nativePost = deepest("postMessage");
  var nativeListen = EventTarget.prototype.addEventListener;
  if (typeof nativePost !== "function" || typeof nativeListen !== "function") return;

  /* --- words -------------------------------------------------------------------------- */

  function normalise(query) {
    return String(query).toLowerCase().replace(/[\u2019']/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* Edit distance, a swap of two neighbouring letters counting as one edit ("myself"
     typed with its "e" and "l" swapped), given up once it is over `most`. */
  function distance(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var before = [], previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) previous[j] = j;
    for (i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) === b.charAt(j - 2)
            && a.charAt(i - 2) === b.charAt(j - 1)) {
          current[j] = Math.min(current[j], before[j - 2] + 1);
        }
        if (current[j] < best) best = current[j];
      }
      if (best > most) return most + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  function allowedTypos(word) {
    return word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
  }

  /* Words of crisis queries, to which a typed word is corrected before the patterns below
     are tried: "suicide" with a letter missing, "kill" with one "l", "myself" with two
     letters swapped (the browser tests hold the exact typos). */
  var CRISIS_WORDS = [
    "suicide", "suicidal", "suicides", "overdose", "overdosed", "overdosing", "overdoses",
    "selfharm", "unalive", "myself", "yourself", "killing", "kill", "hurting", "harming",
    "hanging", "poison", "poisoning", "alive", "living", "dead", "die", "dying", "wanna",
    "want", "life", "pills", "tablets", "injury", "crisis", "hotline", "helpline", "samaritans",
    "cutting", "anymore", "ending", "hopeless"
  ];
  function corrected(word) {
    var most = allowedTypos(word);
    if (word.length < 3 || CRISIS_WORDS.indexOf(word) !== -1) return word;
    if (word.length === 3) most = 1;
    var best = word, bestDistance = most + 1;
    CRISIS_WORDS.forEach(function (candidate) {
      if (candidate.length < 4) return;
      var d = distance(word, candidate, most);
      if (d < bestDistance) { best = candidate; bestDistance = d; }
    });
    return best;
  }

  /* Where on the "Get help now" page a crisis query belongs. */
  var HELP_PAGE = "get-help-now/";
  var CRISIS = [
    [/\bsuicid|\bunalive|\bkms\b|\bkys\b|\bend (it all|everything|my life|my own life)\b/, "suicidal-thoughts"],
    [/\b(take|taking|took) (my|my own) life\b/, "suicidal-thoughts"],
    [/\b(kill|killing|hang|hanging|shoot|shooting|drown|drowning) (my ?self|me)\b/, "suicidal-thoughts"],
    [/\b(want|wanna|wanting|going|ready|need|deserve|wish) (to )?(die|be dead|end it)\b/, "suicidal-thoughts"],
    [/^(i )?(die|dying)$|\bwish i (was|were) dead\b|\bbetter off dead\b/, "suicidal-thoughts"],
    [/\b(don ?t|do not|can ?t|cannot|no longer) (want to |wanna )?(live|be alive|be here|go on|exist|wake up)\b/, "suicidal-thoughts"],
    [/\bno (reason|point) (to|in) (live|living|go on|going on)\b|\bnot want to (live|be alive)\b/, "suicidal-thoughts"],
    [/\boverdos|\bod\b|\btoo many (pills|tablets)\b|\b(poison|poisoning) (my ?self|me)\b/, "overdose"],
    [/\bself ?harm|\bself ?injur|\b(hurt|hurting|harm|harming|cut|cutting|burn|burning) (my ?self|me)\b/, "overdose"],
    [/\b(crisis|helpline|hotline|samaritans|lifeline|988|741741|85258)\b/, "talk-now"],
    /* Hopelessness is a warning sign of suicide (and a sign that depression is back):
       someone to talk to comes first, the pages about it next. */
    [/\bhopeless|\bno hope\b/, "talk-now"],
    [/\b116 ?123\b|\b13 ?11 ?14\b/, "talk-now"]
  ];
  var COUNTRIES = [
    [/\b(us|usa|united states|america|american|988|veterans?)\b/, "us"],
    [/\b(canada|canadian)\b/, "canada"],
    [/\b(uk|united kingdom|britain|british|england|scotland|wales|northern ireland|nhs|samaritans|shout|116 ?123|85258)\b/, "uk-ireland"],
    [/\b(ireland|irish|eire)\b/, "ireland"],
    [/\b(australia|australian|aus|lifeline|13 ?11 ?14)\b/, "australia"]
  ];
  /* A query that, asked of the worker, brings back each part of the page. */
  var SECTION_QUERY = {
    "suicidal-thoughts": "thinking of suicide",
    "overdose": "overdose hurt yourself",
    "talk-now": "talk to someone now",
    "us": "United States 988",
    "canada": "Canada",
    "uk-ireland": "United Kingdom Samaritans",
    "ireland": "Ireland",
    "australia": "Australia Lifeline"
  };

  function sectionFor(text) {
    text = text.replace(/\bselfharm/g, "self harm");
    for (var i = 0; i < CRISIS.length; i++) if (CRISIS[i][0].test(text)) return CRISIS[i][1];
    return null;
  }

  /* The query as typed first, then with each word corrected to the nearest crisis word
     (the correction alone would turn "can't go on" into "want go on"). */
  function crisisOf(query) {
    var typed = normalise(query);
    var text = typed, section = sectionFor(typed);
    if (!section) {
      text = typed.split(" ").map(corrected).join(" ");
      section = sectionFor(text);
    }
    if (!section) return null;
    var country = null;
    for (var c = 0; c < COUNTRIES.length && !country; c++) {
      if (COUNTRIES[c][0].test(typed) || COUNTRIES[c][0].test(text)) country = COUNTRIES[c][1];
    }
    return { section: section, country: country };
  }

  /* --- results ------------------------------------------------------------------------ */

  function isResult(data) {
    return !!data && Array.isArray(data.items) && data.items.every(function (group) {
      return Array.isArray(group) && group.length > 0 && group.every(function (doc) {
        return doc && typeof doc.location === "string" && typeof doc.score === "number";
      });
    });
  }
  function pageOf(group) {
    return group[0].location.split("#")[0];
  }
  function findGroup(items, page) {
    for (var i = 0; i < items.length; i++) if (pageOf(items[i]) === page) return i;
    return -1;
  }
  function withFirst(items, index) {
    var copy = items.slice();
    var group = copy.splice(index, 1)[0];
    copy.unshift(group);
    return copy;
  }

  var MARK = /<mark[^>]*>([^<]*)<\/mark>/g;
  function markedWords(result) {
    var words = {};
    result.items.forEach(function (group) {
      group.forEach(function (doc) {
        var text = String(doc.title || "") + " " + String(doc.text || ""), match;
        MARK.lastIndex = 0;
        while ((match = MARK.exec(text))) {
          var word = match[1].toLowerCase().replace(/[^a-z]/g, "");
          if (word) words[word] = (words[word] || 0) + 1;
        }
      });
    });
    return words;
  }

  /* Words of five or more letters that no result contains (Material's own list of matched
     terms compares unstemmed words, so the highlighted words are looked at too). */
  function unmatchedWords(query, result) {
    var words = normalise(query).split(" ").filter(function (w) {
      return w.length >= 5 && /^[a-z]+$/.test(w);
    });
    if (!result.items.length) return words;
    var marked = Object.keys(markedWords(result));
    return words.filter(function (word) {
      var inTerms = result.items.some(function (group) {
        return group.some(function (doc) { return doc.terms && doc.terms[word] === true; });
      });
      return !inTerms && !marked.some(function (seen) {
        return seen.indexOf(word) === 0 || seen.length >= 4 && word.indexOf(seen) === 0;
      });
    });
  }

  /* The highlighted word closest to what was typed ("spravto" -> "spravato"). */
  function bestMatch(word, result, most) {
    var counts = markedWords(result), best = null;
    Object.keys(counts).forEach(function (seen) {
      var d = distance(word, seen, most);
      if (seen === word || d > most) return;
      if (!best || d < best.d || d === best.d && counts[seen] > best.n) {
        best = { word: seen, d: d, n: counts[seen] };
      }
    });
    return best ? best.word : null;
  }

  /* --- the wrapped worker ------------------------------------------------------------- */

  function state(worker) {
    if (!worker.__siteSearch) {
      worker.__siteSearch = { listeners: [], queue: [], chain: Promise.resolve(), wired: false };
    }
    return worker.__siteSearch;
  }

  /* One more question to the worker. It answers in order, so its answers are matched to
     questions by their place in the queue; one that does not come within 3 seconds is
     given up (and dropped when it comes), so search never waits on it. */
  function ask(worker, query) {
    return new Promise(function (resolve) {
      state(worker).queue.push({ internal: true, resolve: resolve });
      setTimeout(function () { resolve(null); }, 3000);
      nativePost.call(worker, { type: QUERY, data: query });
    });
  }

  /* Material lists a query word no result contains as "Missing: word". After a fuzzy
     search, a document that has the corrected word is not missing the typed one. */
  function renameTerms(answer, missing, instead, typed, most) {
    answer.items.forEach(function (group) {
      group.forEach(function (doc) {
        if (!doc.terms) return;
        var marked = Object.keys(markedWords({ items: [[doc]] }));
        typed.forEach(function (word, i) {
          if (missing.indexOf(word) === -1 || !(word in doc.terms)) return;
          var has = marked.some(function (seen) { return distance(word, seen, most) <= most; });
          delete doc.terms[word];
          doc.terms[instead[i]] = has;
        });
      });
    });
  }

  /* Word forms. The theme's English search has no stemmer (its default pipeline; turning
     the stemmer on put 22 of 111 test queries out of place), so "addicted" found nothing
     although pages say "addiction" and "addictive". A word that no result has is asked
     again as the start of a word, its ending taken off; the results show the words they
     matched, so no note is needed. */
  var ENDINGS = /(ations?|ings?|ions?|ives?|ers?|ed|es|s)$/;
  function stemOf(word) {
    var stem = word.replace(ENDINGS, "");
    return stem !== word && stem.length >= 4 ? stem : null;
  }
  function wordForms(worker, query, missing) {
    var typed = normalise(query).split(" ");
    var stems = typed.map(function (w) { return missing.indexOf(w) !== -1 ? stemOf(w) : null; });
    if (!stems.some(Boolean)) return Promise.resolve(null);
    var text = typed.map(function (w, i) { return stems[i] ? stems[i] + "*" : w; }).join(" ");
    return ask(worker, text).then(function (answer) {
      if (!isResult(answer) || !answer.items.length) return null;
      /* Material lists each query word a result lacks as "Missing: ..."; the word asked was
         the stem, the reader typed the whole word. */
      answer.items.forEach(function (group) {
        group.forEach(function (doc) {
          if (!doc.terms) return;
          var marked = Object.keys(markedWords({ items: [[doc]] }));
          stems.forEach(function (stem, i) {
            if (!stem) return;
            [stem, stem + "*"].forEach(function (key) {
              if (!(key in doc.terms)) return;
              var has = doc.terms[key] === true || marked.some(function (seen) {
                return seen.indexOf(stem) === 0;
              });
              delete doc.terms[key];
              doc.terms[typed[i]] = has;
            });
          });
        });
      });
      return answer;
    });
  }

  function fuzzy(worker, query, result) {
    var missing = unmatchedWords(query, result);
    if (!missing.length) return Promise.resolve(result);
    return wordForms(worker, query, missing).then(function (answer) {
      return answer || attempt(1);
    });
    function attempt(most) {
      var text = normalise(query).split(" ").map(function (word) {
        return missing.indexOf(word) !== -1 ? word + "~" + most : word;
      }).join(" ");
      return ask(worker, text).then(function (answer) {
        var found = isResult(answer) && answer.items.length && missing.some(function (word) {
          return bestMatch(word, answer, most);
        });
        var longer = missing.some(function (word) { return allowedTypos(word) >= 2; });
        if (!found) return most < 2 && longer ? attempt(2) : result;
        var instead = normalise(query).split(" ").map(function (word) {
          return missing.indexOf(word) !== -1 ? bestMatch(word, answer, most) || word : word;
        }).join(" ");
        answer.siteNote = { typed: String(query).trim(), instead: instead };
        renameTerms(answer, missing, instead.split(" "), normalise(query).split(" "), most);
        return answer;
      });
    }
    return attempt(1);
  }

  function withSection(worker, items, section) {
    if (!section || !SECTION_QUERY[section]) return Promise.resolve(items);
    var group = items[0], target = HELP_PAGE + "#" + section;
    var at = -1;
    group.forEach(function (doc, i) { if (doc.location === target) at = i; });
    var found = at !== -1 ? Promise.resolve(group[at]) : ask(worker, SECTION_QUERY[section])
      .then(function (answer) {
        if (!isResult(answer)) return null;
        var other = answer.items[findGroup(answer.items, HELP_PAGE)] || [];
        return other.filter(function (doc) { return doc.location === target; })[0] || null;
      });
    return found.then(function (doc) {
      if (!doc) return items;
      var rest = group.filter(function (d) { return d.location !== target; });
      var top = Math.max.apply(null, group.map(function (d) { return d.score; }));
      var copy = items.slice();
      copy[0] = [Object.assign({}, doc, { score: top })].concat(rest);
      return copy;
    });
  }

  function crisisFirst(worker, query, result) {
    var crisis = crisisOf(query);
    if (!crisis) return Promise.resolve(result);
    var index = findGroup(result.items, HELP_PAGE);
    var items = index !== -1 ? Promise.resolve(withFirst(result.items, index))
      : ask(worker, "get help now " + SECTION_QUERY[crisis.section]).then(function (answer) {
        var at = isResult(answer) ? findGroup(answer.items, HELP_PAGE) : -1;
        return at === -1 ? result.items : [answer.items[at]].concat(result.items);
      });
    return items.then(function (list) {
      if (findGroup(list, HELP_PAGE) !== 0) return result;
      return withSection(worker, list, crisis.country || crisis.section)
        .then(function (withPart) {
          return Object.assign({}, result, { items: withPart, siteCrisis: true });
        });
    });
  }

  /* Pages that list things (sources, changes) rather than explain them. */
  var LISTS = ["references/", "changes/"];
  function titleMatched(group) {
    return group.some(function (doc) {
      return doc.location.indexOf("#") === -1 && /<mark/.test(String(doc.title || ""));
    });
  }
  function listsLater(result) {
    if (result.siteCrisis) return result;
    var items = result.items.slice();
    LISTS.forEach(function (page) {
      var index = findGroup(items, page);
      var explainers = items.filter(function (group) {
        return LISTS.indexOf(pageOf(group)) === -1;
      }).length;
      if (index === -1 || !explainers || titleMatched(items[index])) return;
      var at = 0, seen = 0;
      /* Behind the first two pages that explain (or all of them, if fewer). */
      for (; at < items.length && seen < Math.min(2, explainers); at++) {
        if (LISTS.indexOf(pageOf(items[at])) === -1) seen++;
      }
      if (index >= at) return;
      var group = items.splice(index, 1)[0];
      items.splice(at - 1, 0, group);
    });
    return Object.assign({}, result, { items: items });
  }

  function improve(worker, query, result) {
    return fuzzy(worker, query, result)
      .then(function (answer) { return crisisFirst(worker, query, answer); })
      .then(listsLater)
      .catch(function () { return result; });
  }

  /* What was searched for instead, shown above the results (a status the screen reader
     announces). Only the words change here, never the address. */
  function showNote(result) {
    var box = document.querySelector(".md-search-result");
    var list = box && box.querySelector(".md-search-result__list");
    if (!box || !list) return;
    var note = box.querySelector(".search-instead");
    if (!note) {
      note = document.createElement("p");
      note.className = "search-instead";
      note.setAttribute("role", "status");
      box.insertBefore(note, list);
    }
    var said = result && result.siteNote;
    note.hidden = !said;
    note.textContent = said
      ? "Showing results for \u201c" + said.instead + "\u201d instead of \u201c"
        + said.typed + "\u201d."
      : "";
  }

  function deliver(worker, event, data) {
    var copy = { type: "message", data: data, target: worker, currentTarget: worker,
      origin: event.origin, lastEventId: event.lastEventId, ports: event.ports };
    state(worker).listeners.slice().forEach(function (entry) {
      try {
        if (typeof entry === "function") entry.call(worker, copy);
        else if (entry && typeof entry.handleEvent === "function") entry.handleEvent(copy);
      } catch (error) {
        setTimeout(function () { throw error; });
      }
    });
  }

  function wire(worker) {
    var s = state(worker);
    if (s.wired) return;
    s.wired = true;
    nativeListen.call(worker, "message", function (event) {
      var message = event.data;
      if (!message || message.type !== RESULT || !s.queue.length) {
        s.chain = s.chain.then(function () { deliver(worker, event, message); });
        return;
      }
      var asked = s.queue.shift();
      if (asked.internal) {
        asked.resolve(message.data);
        return;
      }
      /* Extra questions only when every reader of the answers is one of ours: a page that
         listens with `onmessage` would see their answers too. */
      if (!isResult(message.data) || !s.listeners.length || worker.onmessage) {
        s.chain = s.chain.then(function () { deliver(worker, event, message); });
        return;
      }
      var better = improve(worker, asked.query, message.data);
      s.chain = s.chain.then(function () {
        return better.then(function (data) {
          deliver(worker, event, { type: RESULT, data: data });
          try { showNote(data); } catch (ignore) { /* the note is a nicety */ }
        });
      });
    });
  }

  function SiteWorker() {
    var worker = Reflect.construct(Base, arguments, new.target || SiteWorker);
    state(worker);
    return worker;
  }
  SiteWorker.prototype = Object.create(Base.prototype);
  SiteWorker.prototype.constructor = SiteWorker;
  Object.setPrototypeOf(SiteWorker, Base);

  SiteWorker.prototype.addEventListener = function (type, listener, options) {
    if (type !== "message" || !listener) {
      return Base.prototype.addEventListener.apply(this, arguments);
    }
    var s = state(this);
    if (s.listeners.indexOf(listener) === -1) s.listeners.push(listener);
    wire(this);
  };
  SiteWorker.prototype.removeEventListener = function (type, listener) {
    if (type !== "message") return Base.prototype.removeEventListener.apply(this, arguments);
    var s = state(this), at = s.listeners.indexOf(listener);
    if (at !== -1) s.listeners.splice(at, 1);
  };
  SiteWorker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      wire(this);
      state(this).queue.push({ internal: false, query: message.data });
    }
    return Base.prototype.postMessage.apply(this, arguments);
  };

  window.Worker = SiteWorker;
})();
