import QtQuick
import ".."

// Cash insertion: amounts, limits, accepted notes, a returned note; Pay once allowed.
Item {
    id: cash
    Theme { id: theme }
    // Landscape is short: the amounts in one column, the rules and messages in another. At
    // 1280×1024 the side column of buttons would leave both too narrow: the buttons go in a
    // row under them instead.
    readonly property bool wide: !window.portrait && window.width >= 1600
    readonly property real gap: window.portrait ? theme.gap : (wide ? theme.gap / 2 : 8)
    Grid {
        id: page
        width: cash.wide ? parent.width - 500 : parent.width
        height: window.portrait || cash.wide ? parent.height : parent.height - theme.touch - theme.gap
        // The offline banner (or large text) takes height: everything stays, a little smaller.
        readonly property real room: window.portrait ? parent.height - cashActions.height - theme.gap : height
        transformOrigin: Item.TopLeft
        scale: Math.min(1, room / Math.max(1, implicitHeight))
        columns: window.portrait ? 1 : 2
        columnSpacing: theme.gap
        rowSpacing: cash.gap
        // At 1280×1024 the rules take more of the width: the amounts are short.
        readonly property real leftWidth: window.portrait ? width : (width - theme.gap) * (cash.wide ? 0.5 : 0.47)
        readonly property real rightWidth: window.portrait ? width : width - theme.gap - leftWidth
    Column {
        width: page.leftWidth
        spacing: cash.gap
        KText { width: parent.width; font.pixelSize: window.portrait ? theme.large : theme.body; font.bold: true; text: kiosk.session.serviceName }
        KText { objectName: "cashAccount"; width: parent.width; font.pixelSize: window.portrait ? theme.large : theme.body; font.bold: true; wrapMode: Text.NoWrap; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 30; text: kiosk.session.account }
        KText { width: parent.width; visible: !kiosk.cash.acceptorFault; color: theme.muted; text: qsTr("Insert banknotes one at a time") }
        Grid {
            width: parent.width
            columns: 2
            rowSpacing: window.portrait ? 12 : 0
            columnSpacing: theme.gap
            // An amount on one line in its column, shrunk a little if large text needs it.
            KText { width: parent.width * 0.55; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 20; text: qsTr("Inserted") }
            KText { objectName: "insertedAmount"; width: parent.width * 0.45 - theme.gap; wrapMode: Text.NoWrap; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 24; font.pixelSize: cash.wide || window.portrait ? theme.large : theme.body; font.bold: true; text: kiosk.cash.inserted }
            KText { width: parent.width * 0.55; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 20; text: qsTr("Commission") }
            KText { objectName: "commissionAmount"; width: parent.width * 0.45 - theme.gap; wrapMode: Text.NoWrap; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 24; font.pixelSize: cash.wide || window.portrait ? theme.large : theme.body; text: kiosk.cash.commission }
            KText { width: parent.width * 0.55; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 20; text: qsTr("To be credited") }
            KText { objectName: "creditedAmount"; width: parent.width * 0.45 - theme.gap; wrapMode: Text.NoWrap; fontSizeMode: Text.HorizontalFit; minimumPixelSize: 24; font.pixelSize: cash.wide || window.portrait ? theme.large : theme.body; font.bold: true; color: theme.accent; text: kiosk.cash.credited }
        }
        // Here, under the amounts, it balances the two columns in landscape.
        KText { width: parent.width; font.pixelSize: theme.small; text: qsTr("Minimum payment: %1").arg(kiosk.session.minAmount) }
        KText {
            objectName: "acceptedNotes"
            width: parent.width
            font.pixelSize: theme.small
            text: kiosk.cash.acceptedNotes !== "" ? qsTr("Accepted notes: %1").arg(kiosk.cash.acceptedNotes)
                                             : qsTr("No more notes can be accepted")
        }
    }
    Column {
        width: page.rightWidth
        spacing: cash.gap
        // The price and the no-refund rule before the first note (nothing inserted comes back).
        KText { objectName: "commissionRule"; width: parent.width; font.pixelSize: theme.small; text: kiosk.cash.commissionRule }
        KText { objectName: "noChange"; width: parent.width; font.pixelSize: theme.small; font.bold: true; text: kiosk.cash.noChangeText }
        KText {
            objectName: "acceptorFault"
            width: parent.width
            font.pixelSize: window.portrait || cash.wide ? theme.body : theme.small
            visible: kiosk.cash.acceptorFault
            font.bold: true
            color: theme.accent
            text: kiosk.cash.faultText
        }
        KText {
            objectName: "maxMore"
            width: parent.width
            // One line from the view: the credit still possible in whole tenge, the limit
            // reached, or the wallet full; none beside a failed acceptor.
            visible: kiosk.cash.limitLine !== ""
            font.pixelSize: theme.small
            text: kiosk.cash.limitLine
        }
        KText {
            objectName: "noteInProgress"
            width: parent.width
            visible: kiosk.cash.noteInProgress
            color: theme.muted
            text: qsTr("Counting the note…")
        }
        KText {
            objectName: "returnedNote"
            width: parent.width
            font.pixelSize: window.portrait || cash.wide ? theme.body : theme.small
            visible: kiosk.cash.returnedText !== ""
            color: theme.danger
            text: kiosk.cash.returnedText
        }
        KText {
            objectName: "payHint"
            width: parent.width
            visible: kiosk.cash.payHint !== ""
            font.pixelSize: theme.small
            text: kiosk.cash.payHint
        }
    }
    }
    Actions {
        id: cashActions
        row: !window.portrait && !cash.wide
        room: row ? parent.width : (window.portrait ? parent.width : 460)
        KButton {
            objectName: "cancelButton"
            visible: kiosk.cash.canCancel
            text: qsTr("Cancel")
            onPressed: kiosk.cancel()
        }
        KButton {
            objectName: "payButton"
            primary: true
            active: kiosk.cash.canPay
            text: qsTr("Pay")
            onPressed: kiosk.pay()
        }
    }
}
