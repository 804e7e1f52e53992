#pragma once

// The objectNames of the window's actions: menus, tool bar, pages and tests name actions through these.
namespace custody::ActionId {

// Pages (Page::pageId()): the actions that show them.
inline constexpr char ShowVersions[] = "action_show_versions";
inline constexpr char ShowFindings[] = "action_show_findings";
inline constexpr char ShowCompare[] = "action_compare";
inline constexpr char ShowSignOff[] = "action_show_signoff";
inline constexpr char ShowLedger[] = "action_show_ledger";
inline constexpr char ShowDrift[] = "action_show_drift";

// The window's own.
inline constexpr char NewWorkspace[] = "action_new_workspace";
inline constexpr char OpenWorkspace[] = "action_open_workspace";
inline constexpr char OpenDemo[] = "action_open_demo";
inline constexpr char CloseWorkspace[] = "action_close_workspace";
inline constexpr char Quit[] = "action_quit";
inline constexpr char Ingest[] = "action_ingest";
inline constexpr char Find[] = "action_find";
inline constexpr char Reload[] = "action_reload";
inline constexpr char Verify[] = "action_verify";
inline constexpr char ExportCheckpoint[] = "action_export_checkpoint";
inline constexpr char ExportAttestation[] = "action_export_attestation";
inline constexpr char MakeSigned[] = "action_make_signed";
inline constexpr char ManagePrincipals[] = "action_manage_principals";
inline constexpr char ChooseIdentity[] = "action_choose_identity";
inline constexpr char NewIdentity[] = "action_new_identity";
inline constexpr char About[] = "action_about";

// The Findings page's, which it registers, connects and enables itself.
inline constexpr char FindingsRunScan[] = "action_findings_run_scan";
inline constexpr char FindingsCancel[] = "action_findings_cancel";
inline constexpr char FindingsRecordScan[] = "action_findings_record_scan";
inline constexpr char FindingsNext[] = "action_findings_next";
inline constexpr char FindingsPrevious[] = "action_findings_previous";
inline constexpr char FindingsKeep[] = "action_findings_keep";
inline constexpr char FindingsExclude[] = "action_findings_exclude";
inline constexpr char FindingsRelabel[] = "action_findings_relabel";
inline constexpr char FindingsClear[] = "action_findings_clear";
inline constexpr char FindingsUndo[] = "action_findings_undo";
inline constexpr char FindingsRedo[] = "action_findings_redo";

} // namespace custody::ActionId
