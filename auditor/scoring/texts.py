"""The words of the scores and recommendations, in English and French.

Every reason and action the scores write (``sobriety_reasons``, ``repairability_reasons``,
``obsolescence_reasons``, ``software_action``) and every recommendation title and explanation is a
template of this catalogue, filled with :func:`say`. Both languages have the same keys and the same
fields (a test checks it), so a text can never exist in one language only.

Numbers are written by the caller (already rounded); dates are ISO ``YYYY-MM-DD`` in both languages
so they stay machine-readable in exports.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "fr")

#: key -> (English, French)
TEXTS: dict[str, tuple[str, str]] = {
    # --- sobriety ---------------------------------------------------------------------------
    "sob_web": ("web service: sobriety comes from page measurements (EcoIndex), not measured yet",
                "service web : la sobriété vient des mesures de pages (EcoIndex), pas encore mesurées"),
    "sob_default": ("yearly footprint at the category reference (nothing known beyond the category)",
                    "empreinte annuelle égale à la référence de la catégorie (rien de connu au-delà de la catégorie)"),
    "sob_footprint": ("yearly footprint for its service {ratio}x the category reference ({how})",
                      "empreinte annuelle pour son service {ratio} fois la référence de la catégorie ({how})"),
    "sob_below": ("better", "mieux"),
    "sob_at": ("at the reference", "à la référence"),
    "sob_above": ("worse", "moins bien"),
    "sob_life": ("manufacture spread over {life} years instead of {ref}",
                 "fabrication répartie sur {life} ans au lieu de {ref}"),
    "sob_manufacture": ("manufacture {ratio}x the reference device's", "fabrication {ratio} fois celle de l’équipement de référence"),
    "sob_energy": ("electricity {ratio}x the reference device's", "électricité {ratio} fois celle de l’équipement de référence"),
    "sob_work": ("work done {ratio}x the reference load", "travail fourni {ratio} fois la charge de référence"),
    "sob_no_hours": ("energy used but no work done", "énergie consommée sans travail fourni"),
    "sob_idle": ("mean load {load} %: idle capacity (<= {idle} %)",
                 "charge moyenne {load} % : capacité inutilisée (<= {idle} %)"),
    "sob_below_avg": ("mean load {load} %: below the {ref} % average of on-premise servers",
                      "charge moyenne {load} % : sous la moyenne de {ref} % des serveurs sur site"),
    "sob_hyperscale": ("mean load {load} % (hyperscale servers run near {target} %)",
                       "charge moyenne {load} % (les serveurs hyperscale tournent vers {target} %)"),
    "sob_well_used": ("mean load {load} %: well used", "charge moyenne {load} % : bien utilisé"),
    "sob_off": ("switched off outside working hours", "éteint en dehors des heures de travail"),
    "sob_on_outside": ("on {share} % of the hours outside working time",
                       "allumé {share} % des heures hors temps de travail"),
    "sob_busiest": ("busiest of CPU and memory at {load} %", "le plus chargé du processeur et de la mémoire à {load} %"),
    # --- repairability ------------------------------------------------------------------------
    "rep_official": ("French repairability index given: {score}/10", "indice de réparabilité fourni : {score}/10"),
    "rep_eu_class": ("EU label repairability class {cls} (R {low}-{high} of 5)",
                     "classe de réparabilité {cls} de l’étiquette UE (R {low}-{high} sur 5)"),
    "rep_brand": ("average index of {brand} laptops {value}/10 (PIRG 2025)",
                  "indice moyen des portables {brand} {value}/10 (PIRG 2025)"),
    "rep_published": ("average index of the category {value}/10 ({source})",
                      "indice moyen de la catégorie {value}/10 ({source})"),
    "rep_prior": ("no index covers the category: prior {value}/10 with wide bounds",
                  "aucun indice ne couvre la catégorie : a priori {value}/10, bornes larges"),
    "rep_tower": ("tower: standard parts (+{points})", "tour : pièces standard (+{points})"),
    "rep_mini": ("mini form factor: laptop-style parts (-{points})", "format mini : pièces de type portable (-{points})"),
    "rep_aio": ("all-in-one: screen and computer in one case (-{points})",
                "tout-en-un : écran et ordinateur dans un même boîtier (-{points})"),
    "rep_soldered": ("memory soldered (-{points})", "mémoire soudée (-{points})"),
    "rep_socketed": ("memory in sockets (+{points})", "mémoire sur connecteurs (+{points})"),
    "rep_manual": ("public service manual for this model family (+{points})",
                   "manuel de maintenance public pour cette gamme (+{points})"),
    "rep_parts_over": ("legal spare-part period ({years} years) over at {age} years (-{points})",
                       "durée légale de disponibilité des pièces ({years} ans) dépassée à {age} ans (-{points})"),
    "rep_parts_none": ("bought before the EU spare-part rules: no legal parts period (-{points})",
                       "acheté avant les règles européennes sur les pièces : aucune durée légale (-{points})"),
    "rep_parts_within": ("within the legal spare-part period ({years} years)",
                         "dans la durée légale de disponibilité des pièces ({years} ans)"),
    # --- obsolescence (hardware) -------------------------------------------------------------
    "obs_nothing": ("no age, OS, battery or warranty data: nothing raises the risk",
                    "ni âge, ni système, ni batterie, ni garantie connus : rien n’élève le risque"),
    "obs_no_os": ("no supported {os} release runs on this {what} since {date}",
                  "aucune version maintenue de {os} ne tourne sur cet équipement ({what}) depuis le {date}"),
    "obs_device_bound": ("{os}: security support ended {date}; a newer version depends on the device model",
                         "{os} : fin du support de sécurité le {date} ; une version plus récente dépend du modèle"),
    "obs_stranded": ("cannot run Windows 11: {why}", "ne peut pas passer à Windows 11 : {why}"),
    "obs_stranded_reuse": ("{text}; reuse it with Linux or ChromeOS Flex", "{text} ; le réemployer sous Linux ou ChromeOS Flex"),
    "obs_stranded_later": ("{text} (not needed while its Windows 10 release is supported)",
                           "{text} (sans effet tant que sa version de Windows 10 est maintenue)"),
    "obs_cpu": ("CPU '{cpu}' not on Microsoft's supported list (v{version})",
                "processeur « {cpu} » absent de la liste de Microsoft (v{version})"),
    "obs_low_ram_w11": ("{ram} GB RAM < {min} GB", "{ram} Go de mémoire < {min} Go"),
    "obs_low_storage": ("storage < {min} GB", "stockage < {min} Go"),
    "obs_low_tpm": ("TPM older than 2.0", "TPM antérieur à 2.0"),
    "obs_eligible": ("Windows 11 eligible (CPU on Microsoft's list): upgrade rather than replace",
                     "compatible Windows 11 (processeur sur la liste de Microsoft) : mettre à niveau plutôt que remplacer"),
    "obs_not_checked": ("Windows 11 eligibility not checked: CPU model not given",
                        "compatibilité Windows 11 non vérifiée : modèle de processeur non renseigné"),
    "obs_short_ram": ("{ram} GB RAM below the {min} GB its OS needs", "{ram} Go de mémoire, sous les {min} Go requis par son système"),
    "obs_battery": ("battery at {pct} % of design capacity (worn below {floor} %): replace the battery",
                    "batterie à {pct} % de sa capacité d’origine (usée sous {floor} %) : remplacer la batterie"),
    "obs_warranty": ("warranty ended {date}", "garantie terminée le {date}"),
    "obs_parts": ("legal spare-part period ({years} years) over", "durée légale de disponibilité des pièces ({years} ans) dépassée"),
    "obs_parts_none": ("no legal spare-part period (bought before the EU rules)",
                       "aucune durée légale de disponibilité des pièces (acheté avant les règles européennes)"),
    "obs_past_life": ("{age} years old, past its {life}-year average life: a candidate for lifetime extension, not a due date",
                      "{age} ans, au-delà de sa durée de vie moyenne de {life} ans : à prolonger, pas une échéance"),
    "obs_age": ("{age} of {life} average years", "{age} ans sur {life} ans de durée de vie moyenne"),
    "obs_exposed": ("{what} on an unsupported OS with no free upgrade path: critical (unsupported software on exposed infrastructure)",
                    "{what} sous un système non maintenu sans mise à niveau gratuite : critique (logiciel non maintenu sur une infrastructure exposée)"),
    "obs_exposed_paid": ("{what} kept secure only by a paid extension: high", "{what} sécurisé seulement par une extension payante : élevé"),
    "obs_forced": ("replacement forced from {date}", "remplacement imposé à partir du {date}"),
    # --- software status -----------------------------------------------------------------------
    "sw_no_data": ("no end-of-support data for '{os}'", "pas de données de fin de support pour « {os} »"),
    "sw_no_version": ("{os}: version not given, end of support unknown", "{os} : version non renseignée, fin de support inconnue"),
    "sw_assumed": (" (version not given: latest release assumed)", " (version non renseignée : dernière version supposée)"),
    "sw_supported": ("{os} supported until {date}{assumed}", "{os} maintenu jusqu’au {date}{assumed}"),
    "sw_supported_lts": ("{os} on free long-term support ({lts}) until {date}; plan the free upgrade to {target}",
                         "{os} en support long terme gratuit ({lts}) jusqu’au {date} ; prévoir la mise à niveau gratuite vers {target}"),
    "sw_supported_no_date": ("{os} supported (no end date published)", "{os} maintenu (pas de date de fin publiée)"),
    "sw_ending_no_path": ("{os}: security support ends {date}{assumed}; no free upgrade known for this hardware",
                          "{os} : fin du support de sécurité le {date}{assumed} ; aucune mise à niveau gratuite connue pour ce matériel"),
    "sw_update": ("{os}: security support {ends} {date}{assumed}; install the free {target} update",
                  "{os} : support de sécurité {ends} le {date}{assumed} ; installer la mise à jour gratuite {target}"),
    "sw_upgrade": ("{os}: security support {ends} {date}{assumed}; upgrade for free to {target}",
                   "{os} : support de sécurité {ends} le {date}{assumed} ; mettre à niveau gratuitement vers {target}"),
    "sw_upgrade_w11": ("{os}: security support {ends} {date}{assumed}; upgrade for free to Windows 11 (this PC is eligible)",
                       "{os} : support de sécurité {ends} le {date}{assumed} ; passer gratuitement à Windows 11 (ce PC est compatible)"),
    "sw_ends": ("ends", "jusqu’au"),
    "sw_ended": ("ended", "terminé"),
    "sw_paid_alt": ("; or paid {paid} until {date}", " ; ou {paid} payant jusqu’au {date}"),
    "sw_extended": ("{os}: free security support ended {date}{assumed}; secure only with paid {paid} until {until}{then}",
                    "{os} : support de sécurité gratuit terminé le {date}{assumed} ; sécurisé seulement avec {paid} payant jusqu’au {until}{then}"),
    "sw_then_w10": ("; check Windows 11 eligibility (CPU model not given): the upgrade is free on an eligible PC",
                    " ; vérifier la compatibilité Windows 11 (processeur non renseigné) : la mise à niveau est gratuite sur un PC compatible"),
    "sw_then_stranded": ("; or reinstall with Linux or ChromeOS Flex", " ; ou réinstaller sous Linux ou ChromeOS Flex"),
    "sw_then_migrate": ("; then migrate to {target} ({needs})", " ; puis migrer vers {target} ({needs})"),
    "sw_then_paid": ("; migrate to {target} ({needs})", " ; migrer vers {target} ({needs})"),
    "sw_new_licence": ("new licence", "nouvelle licence"),
    "sw_contract": ("needs the vendor's support contract", "nécessite le contrat de support du constructeur"),
    "sw_unsupported": ("{os}: security support ended {date}{assumed}; no free upgrade known for this hardware{then}",
                       "{os} : support de sécurité terminé le {date}{assumed} ; aucune mise à niveau gratuite connue pour ce matériel{then}"),
    "sw_unsupported_device": ("{os}: security support ended {date}{assumed}; check whether the model takes a newer version, otherwise replace it",
                              "{os} : support de sécurité terminé le {date}{assumed} ; vérifier si le modèle accepte une version plus récente, sinon le remplacer"),
    "sw_then_reuse": ("; reinstall with Linux or ChromeOS Flex", " ; réinstaller sous Linux ou ChromeOS Flex"),
    "sw_paid_windows": ("Extended Security Updates (ESU)", "Extended Security Updates (ESU)"),
    "sw_paid_ubuntu": ("Ubuntu Pro (ESM)", "Ubuntu Pro (ESM)"),
    "sw_paid_rhel": ("Extended Life Cycle Support (ELS)", "Extended Life Cycle Support (ELS)"),
    "sw_paid_sles": ("Long Term Service Pack Support (LTSS)", "Long Term Service Pack Support (LTSS)"),
    "sw_lts_debian": ("Debian LTS", "Debian LTS"),
    "sw_clone": ("AlmaLinux or Rocky Linux (free migration tools)", "AlmaLinux ou Rocky Linux (outils de migration gratuits)"),
    "sw_newer_release": ("a supported release", "une version maintenue"),
    # --- recommendations ------------------------------------------------------------------------
    "rec_none": ("No recommendation: no action saves anything on this inventory.",
                 "Aucune recommandation : aucune action n’apporte d’économie sur cet inventaire."),
    "rec_all": ("all actions", "toutes les actions"),
    "rec_footer": ("Ranked by {criterion} savings. Savings per year, from the footprint engine run on the changed items. "
                   "Each item gets at most one lifetime or replacement action (switching off changes only the use phase), "
                   "so the savings add up.",
                   "Classées par économie de {criterion}. Économies par an, calculées par le moteur d’empreinte sur les "
                   "équipements modifiés. Chaque équipement reçoit au plus une action de durée de vie ou de remplacement "
                   "(l’extinction ne change que la phase d’usage) : les économies s’additionnent."),
    "rec_h_action": ("action", "action"),
    "rec_h_items": ("items", "équip."),
    "rec_reuse_title": ("Keep stranded Windows 10 PCs with Linux or ChromeOS Flex",
                        "Garder les PC bloqués sous Windows 10 avec Linux ou ChromeOS Flex"),
    "rec_reuse": ("{n} PCs cannot run Windows 11 (CPU not on Microsoft's list, or memory, storage or TPM below its "
                  "minimum) and their Windows release lost security support on {eol}. Reinstalled with a supported Linux "
                  "({target} LTS, supported until {target_eol}) or ChromeOS Flex (needs 4 GB RAM, 16 GB storage), they stay "
                  "in service until then instead of being replaced: lifetime {before} -> {after} years on average. Savings "
                  "are their manufacturing footprint spread over the longer life (use unchanged){esu}.",
                  "{n} PC ne peuvent pas passer à Windows 11 (processeur absent de la liste de Microsoft, ou mémoire, "
                  "stockage ou TPM sous le minimum) et leur version de Windows n’a plus de support de sécurité depuis le "
                  "{eol}. Réinstallés sous un Linux maintenu ({target} LTS, maintenu jusqu’au {target_eol}) ou ChromeOS "
                  "Flex (4 Go de mémoire, 16 Go de stockage), ils restent en service jusque-là au lieu d’être remplacés : "
                  "durée de vie {before} -> {after} ans en moyenne. L’économie est leur empreinte de fabrication répartie "
                  "sur une vie plus longue (usage inchangé){esu}."),
    "rec_reuse_esu": ("; paid extended security updates (ESU) are the stop-gap, until {date}",
                      " ; les mises à jour de sécurité étendues payantes (ESU) sont une solution d’attente, jusqu’au {date}"),
    "rec_reuse_excluded": (" {n} stranded PCs below ChromeOS Flex's minimum are left out.",
                           " {n} PC bloqués sous le minimum de ChromeOS Flex sont laissés de côté."),
    "rec_battery_title": ("Replace worn batteries instead of devices", "Remplacer les batteries usées plutôt que les équipements"),
    "rec_battery": ("{n} laptops, phones or tablets have a battery below {threshold} % of its design capacity. A new battery "
                    "lets them reach the longest lifetime of the cited sources for their category ({before} -> {after} years "
                    "on average) instead of being replaced. The new batteries' own footprint is not subtracted: the factor "
                    "tables have no cited battery figure.",
                    "{n} portables, téléphones ou tablettes ont une batterie sous {threshold} % de sa capacité d’origine. "
                    "Une batterie neuve leur permet d’atteindre la plus longue durée de vie des sources citées pour leur "
                    "catégorie ({before} -> {after} ans en moyenne) au lieu d’être remplacés. L’empreinte des batteries "
                    "neuves n’est pas déduite : les tables de facteurs n’ont pas de chiffre cité pour une batterie."),
    "rec_consolidate_title": ("Consolidate under-used servers", "Regrouper les serveurs sous-utilisés"),
    "rec_consolidate": ("{n} servers run below the {reference} % average load of on-premise servers. Packed per site onto "
                        "{kept} of them at up to {target} % load (the load assumed for hyperscale servers), {removed} "
                        "servers can be switched off and removed. Workload is counted as load x {unit}; the removed "
                        "servers' memory and drives move to the kept ones (where given), so the savings are their chassis, "
                        "processors and idle power, less the extra draw of the kept servers at the higher load.",
                        "{n} serveurs tournent sous la charge moyenne de {reference} % des serveurs sur site. Regroupés par "
                        "site sur {kept} d’entre eux jusqu’à {target} % de charge (la charge des serveurs hyperscale), "
                        "{removed} serveurs peuvent être éteints et retirés. La charge est comptée en charge x {unit} ; la "
                        "mémoire et les disques des serveurs retirés passent aux serveurs gardés (quand ils sont connus) : "
                        "l’économie porte sur leurs châssis, processeurs et consommation à vide, moins la consommation "
                        "supplémentaire des serveurs gardés à plus forte charge."),
    "rec_cores": ("cores", "cœurs"),
    "rec_sockets": ("sockets", "processeurs"),
    "rec_rightsize_title": ("Right-size servers at renewal", "Dimensionner les serveurs au juste besoin au renouvellement"),
    "rec_rightsize": ("{n} servers would stay at or below {target} % load with one CPU socket fewer (mean load {before} % -> "
                      "{after} %). Buy them with one socket fewer at renewal: less power and less manufacturing. Memory is "
                      "kept as it is (no measured memory use).",
                      "{n} serveurs resteraient à {target} % de charge ou moins avec un processeur de moins (charge moyenne "
                      "{before} % -> {after} %). Les racheter avec un processeur de moins au renouvellement : moins "
                      "d’électricité et moins de fabrication. La mémoire reste inchangée (pas de mesure de son usage)."),
    "rec_switch_title": ("Switch off at night and at weekends", "Éteindre la nuit et le week-end"),
    "rec_switch": ("{n} user devices are on longer than the working time of their category (mean {hours} h a day). Switched "
                   "off at night and at weekends (automatic shutdown, smart power strips), they run only the category's "
                   "working time; they still draw their off-mode power.",
                   "{n} équipements utilisateurs restent allumés plus longtemps que le temps de travail de leur catégorie "
                   "(en moyenne {hours} h par jour). Éteints la nuit et le week-end (arrêt automatique, multiprises "
                   "coupe-veille), ils ne fonctionnent que pendant le temps de travail ; ils consomment encore leur "
                   "puissance à l’arrêt."),
    "rec_switch_metered": (" {n} devices with metered or measured energy are left out (the engine cannot re-time them).",
                           " {n} équipements à énergie relevée ou mesurée sont laissés de côté (le moteur ne peut pas changer leurs horaires)."),
    "rec_replace_title": ("Replace only where the break-even is reached", "Remplacer seulement si le point d’équilibre est atteint"),
    "rec_replace": ("{n} of {total} devices with declared, measured or modelled energy save more greenhouse gases each year "
                    "by being replaced with a new typical device of their category than the new device's manufacture costs "
                    "per year of its life (break-even after {payback} years, median). The others are better kept: their "
                    "replacement would not pay back its manufacture.",
                    "{n} des {total} équipements à énergie déclarée, mesurée ou modélisée économisent chaque année plus de "
                    "gaz à effet de serre en étant remplacés par un équipement neuf typique de leur catégorie que la "
                    "fabrication du neuf n’en coûte par année de sa vie (équilibre atteint après {payback} ans, médiane). "
                    "Les autres sont à garder : leur remplacement ne rembourserait pas sa fabrication."),
    "rec_extend_title": ("Extend device lifetimes", "Prolonger la durée de vie des équipements"),
    "rec_extend": ("{n} devices at low or medium obsolescence risk can be kept to the longest lifetime of the cited sources "
                   "for their category ({shown} years...), through maintenance and repair, instead of the usual {before} "
                   "years on average. Savings are the manufacturing footprint spread over more years.",
                   "{n} équipements à risque d’obsolescence faible ou moyen peuvent être gardés jusqu’à la plus longue "
                   "durée de vie des sources citées pour leur catégorie ({shown} ans...), par l’entretien et la "
                   "réparation, au lieu des {before} ans habituels en moyenne. L’économie est l’empreinte de fabrication "
                   "répartie sur plus d’années."),
}


def say(key: str, lang: str = "en", /, **fields: object) -> str:
    """The text ``key`` in ``lang`` (``en`` or ``fr``), its ``{fields}`` filled."""
    en, fr = TEXTS[key]
    template = fr if lang == "fr" else en
    return template.format(**fields) if fields else template


def number(value: float, lang: str = "en", digits: int = 1) -> str:
    """A number as each language writes it (``1.3`` / ``1,3``), trailing zeros dropped."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",") if lang == "fr" else text


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang
