package io.sitebridge.app;

import org.eclipse.jface.action.GroupMarker;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.ui.IWorkbenchActionConstants;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.actions.ActionFactory.IWorkbenchAction;
import org.eclipse.ui.actions.ContributionItemFactory;
import org.eclipse.ui.application.ActionBarAdvisor;
import org.eclipse.ui.application.IActionBarConfigurer;

/**
 * The menu bar of the standalone window: File, Edit, Sites, Transfer, Window,
 * Help. Sitebridge's own commands come from io.sitebridge.ui through
 * menu contributions into the groups made here, so the IDE gets them too.
 */
class SitebridgeActionBarAdvisor extends ActionBarAdvisor {

    static final String SITES_MENU = "sites";
    static final String TRANSFER_MENU = "transfer";

    SitebridgeActionBarAdvisor(IActionBarConfigurer configurer) {
        super(configurer);
    }

    private IWorkbenchAction registered(IWorkbenchAction action) {
        super.register(action);
        return action;
    }

    @Override
    protected void fillMenuBar(IMenuManager menuBar) {
        IWorkbenchWindow window = getActionBarConfigurer().getWindowConfigurer().getWindow();

        MenuManager file = new MenuManager("&File", IWorkbenchActionConstants.M_FILE);
        file.add(new GroupMarker(IWorkbenchActionConstants.FILE_START));
        file.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        file.add(new Separator());
        file.add(registered(ActionFactory.QUIT.create(window)));
        file.add(new GroupMarker(IWorkbenchActionConstants.FILE_END));

        MenuManager edit = new MenuManager("&Edit", IWorkbenchActionConstants.M_EDIT);
        edit.add(new GroupMarker(IWorkbenchActionConstants.EDIT_START));
        edit.add(registered(ActionFactory.COPY.create(window)));
        edit.add(registered(ActionFactory.PASTE.create(window)));
        edit.add(new Separator());
        edit.add(registered(ActionFactory.DELETE.create(window)));
        edit.add(registered(ActionFactory.RENAME.create(window)));
        edit.add(registered(ActionFactory.REFRESH.create(window)));
        edit.add(new Separator());
        edit.add(registered(ActionFactory.SELECT_ALL.create(window)));
        edit.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        edit.add(new GroupMarker(IWorkbenchActionConstants.EDIT_END));

        MenuManager sites = new MenuManager("&Sites", SITES_MENU);
        sites.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));

        MenuManager transfer = new MenuManager("&Transfer", TRANSFER_MENU);
        transfer.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));

        MenuManager windowMenu = new MenuManager("&Window", IWorkbenchActionConstants.M_WINDOW);
        MenuManager showView = new MenuManager("Show &View", "showView");
        showView.add(ContributionItemFactory.VIEWS_SHORTLIST.create(window));
        windowMenu.add(showView);
        windowMenu.add(registered(ActionFactory.RESET_PERSPECTIVE.create(window)));
        windowMenu.add(new Separator());
        windowMenu.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        windowMenu.add(new Separator());
        windowMenu.add(registered(ActionFactory.PREFERENCES.create(window)));

        MenuManager help = new MenuManager("&Help", IWorkbenchActionConstants.M_HELP);
        help.add(new GroupMarker(IWorkbenchActionConstants.HELP_START));
        help.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        help.add(new Separator());
        help.add(registered(ActionFactory.ABOUT.create(window)));
        help.add(new GroupMarker(IWorkbenchActionConstants.HELP_END));

        menuBar.add(file);
        menuBar.add(edit);
        menuBar.add(sites);
        menuBar.add(transfer);
        menuBar.add(new GroupMarker(IWorkbenchActionConstants.MB_ADDITIONS));
        menuBar.add(windowMenu);
        menuBar.add(help);
    }
}
