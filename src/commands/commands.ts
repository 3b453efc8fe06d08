/*
 * The ribbon's function file. The KAM button only shows the task pane (a ShowTaskpane action in
 * the manifest), so no command function is registered; Office still loads this page and needs
 * Office.onReady to have been called.
 */
void Office.onReady();
