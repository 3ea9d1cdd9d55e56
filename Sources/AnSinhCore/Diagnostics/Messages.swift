/// Every text the shell shows a person, in English and Vietnamese.
///
/// The switch in `texts` is exhaustive, so a message cannot exist in one language only; a test
/// checks that both texts are non-empty and use the same `{0}`, `{1}` … placeholders.
public enum MessageID: String, CaseIterable, Sendable {
    // Labels
    case labelError, labelWarning, labelNote, didYouMean, moreRows, rowCount, emptyResult
    case approximateLegend, nullShown
    // Terminal and display
    case rowsShownHeadTail, rowsShownHead, columnsHiddenToFit, lineModeToFit
    case scriptInterrupted, parameterNotUsed, parameterNoneUsed, parameterRepeated, bannerTitle, bannerHint
    // Lexer
    case unterminatedString, unexpectedCharacter, invalidNumber, numberTooLarge, invalidEscape
    case controlCharacter, unexpectedInvisibleCharacter, unterminatedBacktick, smartQuoteHint
    // Parser
    case expectedToken, expectedExpression, expectedName, unknownStage, statementStart
    case leadingPipeHint, nestingTooDeep, unexpectedAfterStatement, incompleteStatement
    case expectedStageAfterPipe, duplicateName, takeNeedsCount, emptyInList, stageList
    case unclosedBracket
    // Binder
    case unknownTable, unknownColumn, unknownFunction, unknownParameter, typeMismatchBinary
    case typeMismatchUnary, wrongArgumentCount, argumentType, aggregateOutsideSummarize
    case aggregateInsideAggregate, conditionNotBoolean, duplicateColumn, noRowsMatch
    case tableNames, columnNames, functionNames, joinColumnMissing, joinTypeMismatch
    case pivotNeedsValue, sortNeedsValue, distinctUnknown, parameterHint, letShadowsBuiltin
    case unknownColumnInSummarize, whyNeedsFacts, stageNeedsFacts, compareNeedsTwo, chartNeedsNumber, chartMixedUnits, chartNeedsLabel, chartNotLast
    case chartWhichColumn, sparkDuplicateLabel, sparkMixedDistricts
    // Reshape and places
    case patternNotConstant, patternInvalid, patternNestedRepeat, patternTooManyRepeats, patternTooLong
    case unpivotNoColumns, unpivotRangeOrder, unpivotMixedTypes, unpivotNameClash, unpivotNothingLeft, unpivotNothingChosen
    case warnMixedPlaceKinds, joinDroppedRows, joinKeyNeedsColumn, joinKeysUseComma, joinKeyOtherTable, joinRightNotColumn
    // Runtime
    case cancelled, resultTooLarge, divisionByZeroGaveNull, overflowGaveNull, invalidArgumentValue
    // Warnings under results
    case warnMixedUnits, warnMixedMeasures, warnSummedPercent, warnApproximate, warnPopulationYear
    case warnPeriodsDiffer, warnLessonPointer, warnSummedAverages, warnStockSummed, warnDoubleCounted
    case warnPerCapitaSkipped, warnPossiblyDoubleCounted, compareNeedsValue
    case warnComparesUnits, warnComparesMeasures, warnComparesPeriods, warnDefinitionsDiffer, warnDefinitionUnstated, warnDefinitionsMarked
    case warnAddsDifferentIndicators, warnComparesIndicators
    case joinLeftUnmatched
    case compareDefinitionsDiffer, compareDefinitionNotStated
    case warnTargetsWithOutcomes, warnTargetsCounted, warnUnrelatedRates, warnTwoSourcesPicked
    case warnAverageTimesYears, warnHouseholdsPerResident, warnRelativeChangeOfRate, warnRepeatedLabels
    case warnDoubleCountedRows
    // Dot-commands and the shell
    case unknownCommand, seeHelp, commandUsage, fileNotFound, fileUnreadable, fileNotUTF8, fileExists
    case fileWriteFailed, safeModeBlocked, importedTable, exportedRows, outputTo, outputToStdout
    case settingChanged, timerLine, historyProblem, rcProblem, helpTopicUnknown, helpHeader
    case modeChanged, unknownMode, readDepthExceeded, tableDropped, noLastResult, safeModeOn
    case scriptStopped, keepGoingSummary, languageSet, interruptedLine, unknownSetting
    case statementOK, letDefined, paramMissing, paramMalformed, outputClosed
    case fileExistsReplace, nothingWritten, exportUnknownExtension, whyRowOutOfRange, unknownDialect
    case widthTooSmall, cannotDropBuiltin, modeCurrent, settingCurrent, tableReplaced
    // Safety and files
    case safeModeOutsideFolder, safeModeSpecialFile, safeModeUncheckable, safeModeHardLink
    case safeModeOutputClosed, systemFile, streamTooLarge, argumentNotUTF8, stdoutWriteFailed
    // CSV import
    case csvRaggedRow, csvUnterminatedQuote, csvEmptyHeader, csvDuplicateHeader, csvNoHeader
    case csvInvalidUTF8, csvLegacyEncoding, csvTooLarge, csvEmptyFile, csvBOMRemoved, csvNULByte, csvUTF16
    case csvReadAsDecimals, csvReadAsThousands
    case csvReadAsDecimalsByEvidence, csvMissingMarkers, csvTitleLine, csvFootnotes, csvConvertedUTF16
    case csvConvertedUTF16WithoutBOM, csvConvertedSingleByte, csvInvisibleInHeader, csvMoreDuplicateHeaders
    case csvLineOverMemoryLimit, csvTooManyColumns, csvRaggedAfterTitle, csvRaggedSplitValue, importOptionSyntax, importOptionValue
    case importOptionUnknown, importOptionMissingValue, importHeaderBeyondEnd, importTypesUnknownColumn, importDeclaredTypeMismatch, schemaFileNote, helpImport
    case csvUnitsFound, csvUnitsFromCells, csvPreliminary, csvPreliminaryRows
    // Spreadsheet import
    case xlsxSheetRead, xlsxOnlySheet, xlsxNotZip, xlsxLegacy, xlsxEncrypted, xlsxNoSheet, xlsxBadRange, xlsxDamaged
    case xlsxTooLarge, xlsxNotWorkbook, xlsxOpenDocument, xlsxOptionNotForSpreadsheet, xlsxOptionOnlyForSpreadsheet
    case xlsxChartSheet, xlsxEmptySheet, xlsxTitleRow, xlsxMergedCells, xlsxHeaderRowsJoined, xlsxErrorCells, xlsxDates
    // Export and report
    case exportedDataPackage, reportWritten, reportCollecting, reportNothingToWrite, reportUnknownExtension
    case reportAlreadyCollecting, reportNoResults, reportNotWritten, reportDefaultTitle, reportMadeWith, reportResultHeading
    case reportSourcesColumn, reportSourcesHeading, reportSourcesIntro, reportUndated, reportReproduceHeading
    case reportVersion, reportDate, reportDataHash, reportParameters, reportScript, reportCommand, reportStatement
    case reportChartUnit, reportChartPeriod, reportChartRowsLeftOut, reportChartLegend, reportRowsCut, reportNotesHeading
    case reportFactLink, reportContents, reportSVGWritten, reportChartRowsNotComparable
    // Remote databases
    case remoteNoDriver, remoteBadURL, remoteConnectFailed, remoteConnected, remoteDisconnected
    case remoteNotConnected, remoteQueryFailed, remoteConnectionLost, remoteUntranslatable, remoteMixed
    case remoteChecksSkipped, remoteExplainHeader, remoteTableSummary, remoteViewSummary, remoteRows
    case remoteSafeMode
    // Tutorial
    case tutorialHeading, tutorialTask, tutorialFooter, tutorialHint, tutorialSolution, tutorialCorrect
    case tutorialCorrectLessonsLeft
    case tutorialFinished, tutorialNotYet, tutorialNotYetBecause, tutorialMissingColumn, tutorialRowCount
    case tutorialValuesDiffer, tutorialRowsMismatched, tutorialOrderDiffers, tutorialNumberMissing
    case tutorialNoResult, tutorialLastLesson, tutorialProgressCleared, tutorialLeft, tutorialSolutionBroken
    case tutorialFirstLesson, whyNoRows
    case tutorialStepTask, tutorialSentenceHow, tutorialStepCorrect, tutorialNoSentenceWanted, tutorialSolutionOffer
    case tutorialStatusDone, tutorialStatusNow, tutorialStatusAttempts, tutorialStatusLesson, tutorialStudentIs
    case tutorialWarningMissing, tutorialWarningStill, tutorialWordsMissing, tutorialTopicName, tutorialExported

    /// The English and Vietnamese text, with `{0}`, `{1}` … for arguments.
    public var texts: (en: String, vi: String) {
        switch self {
        case .labelError: ("error", "lỗi")
        case .labelWarning: ("warning", "cảnh báo")
        case .labelNote: ("note", "ghi chú")
        case .didYouMean: ("did you mean {0}?", "có phải ý bạn là {0}?")
        case .moreRows: ("… {0} more rows (.maxrows {1}; .last shows all)", "… còn {0} dòng nữa (.maxrows {1}; .last để xem hết)")
        case .rowCount: ("{0} rows", "{0} dòng")
        case .emptyResult: ("(no rows)", "(không có dòng nào)")
        case .approximateLegend:
            ("approximate values: ≈ about (khoảng), > more than (hơn, trên), ≲ nearly (gần), < less than (dưới)",
             "giá trị gần đúng: ≈ khoảng, > hơn/trên, ≲ gần, < dưới")
        case .nullShown: ("null", "null")
        // Terminal and display
        case .rowsShownHeadTail: ("{0} rows, {1} shown: the first {2} and the last {3}; .last shows all", "{0} dòng, hiện {1}: {2} dòng đầu và {3} dòng cuối; .last để xem hết")
        case .rowsShownHead: ("{0} rows, the first {1} shown; .last shows all", "{0} dòng, hiện {1} dòng đầu; .last để xem hết")
        case .columnsHiddenToFit: ("{0} of {1} columns fit in {2}; hidden (…): {3}. .mode line shows every column", "{0} trong {1} cột vừa {2} ký tự; ẩn (…): {3}. .mode line để xem mọi cột")
        case .lineModeToFit: ("shown in line mode: the column {0} does not fit in {1} columns as a table", "hiện theo dòng (line mode): cột {0} không vừa bảng rộng {1} ký tự")
        case .scriptInterrupted: ("interrupted (Ctrl-C): the rest was not run", "đã ngắt (Ctrl-C): phần còn lại không được chạy")
        case .parameterNotUsed: ("--param {0}: no statement uses `${0}` (the parameters used are {1})", "--param {0}: không câu lệnh nào dùng `${0}` (các tham số được dùng: {1})")
        case .parameterNoneUsed: ("--param {0}: no statement uses `${0}`; the statements use no parameters", "--param {0}: không câu lệnh nào dùng `${0}`; các câu lệnh không dùng tham số nào")
        // The banner: two lines, each within 80 columns.
        case .bannerTitle: ("ansinh {0} — social-welfare figures of 4 districts (5 articles)", "ansinh {0} — số liệu an sinh xã hội của 4 quận, huyện (5 bài báo)")
        case .bannerHint: ("Type .help or .tutorial; Ctrl-D to quit.", "Gõ .help hoặc .tutorial; Ctrl-D để thoát.")
        case .parameterRepeated: ("--param {0} is given {1} times; the last one is used: {2}", "--param {0} được cho {1} lần; dùng giá trị cuối cùng: {2}")

        case .unterminatedString: ("unterminated string: add a closing `{0}`", "chuỗi chưa đóng: thêm dấu `{0}` ở cuối")
        case .unexpectedCharacter: ("unexpected character `{0}`", "ký tự không hợp lệ `{0}`")
        case .invalidNumber: ("`{0}` is not a valid number", "`{0}` không phải là số hợp lệ")
        case .numberTooLarge: ("the number `{0}` is too large", "số `{0}` quá lớn")
        case .invalidEscape: ("unknown escape `\\{0}` in a string (use \\\\, \\\", \\n, \\t or \\u{…})",
                              "ký tự thoát `\\{0}` không hợp lệ trong chuỗi (dùng \\\\, \\\", \\n, \\t hoặc \\u{…})")
        case .unexpectedInvisibleCharacter: ("unexpected invisible character {0}", "ký tự vô hình không hợp lệ {0}")
        case .controlCharacter: ("control character {0} is not allowed here", "không được dùng ký tự điều khiển {0} ở đây")
        case .smartQuoteHint: ("use straight quotes: \"…\"", "hãy dùng dấu nháy thẳng: \"…\"")
        case .unterminatedBacktick: ("unterminated quoted name: add a closing `` ` ``", "tên trong dấu ` chưa đóng: thêm dấu ` ở cuối")

        case .expectedToken: ("expected {0}, found {1}", "cần {0}, nhưng gặp {1}")
        case .expectedExpression: ("expected a value or a column, found {0}", "cần một giá trị hoặc tên cột, nhưng gặp {0}")
        case .expectedName: ("expected a name, found {0}", "cần một tên, nhưng gặp {0}")
        case .unknownStage: ("unknown stage `{0}`", "không có bước `{0}`")
        case .statementStart:
            ("a statement starts with `from`, `let`, `explain` or a dot-command; found {0}",
             "câu lệnh phải bắt đầu bằng `from`, `let`, `explain` hoặc lệnh chấm; nhưng gặp {0}")
        case .leadingPipeHint:
            ("to continue a pipeline on the next line at the prompt, end the line with `|`",
             "để viết tiếp câu lệnh ở dòng sau tại dấu nhắc, hãy kết thúc dòng bằng `|`")
        case .nestingTooDeep: ("nested deeper than {0} levels", "lồng nhau sâu quá {0} mức")
        case .unexpectedAfterStatement: ("unexpected {0} after the end of the statement", "thừa {0} sau khi câu lệnh đã kết thúc")
        case .incompleteStatement: ("the statement is not finished: expected {0}", "câu lệnh chưa xong: còn thiếu {0}")
        case .expectedStageAfterPipe: ("expected a stage after `|`, found {0}", "cần một bước sau `|`, nhưng gặp {0}")
        case .duplicateName: ("the name `{0}` is used twice", "tên `{0}` bị dùng hai lần")
        case .takeNeedsCount: ("`take` needs a whole number of rows (0 or more), found {0}", "`take` cần số dòng là số nguyên không âm, nhưng gặp {0}")
        case .emptyInList: ("`in ()` needs at least one value", "`in ()` cần ít nhất một giá trị")
        case .stageList: ("stages: {0}", "các bước: {0}")
        case .unclosedBracket: ("`{0}` is never closed", "`{0}` chưa được đóng")

        case .unknownTable: ("unknown table `{0}`", "không có bảng `{0}`")
        case .unknownColumn: ("unknown column `{0}`", "không có cột `{0}`")
        case .unknownFunction: ("unknown function `{0}`", "không có hàm `{0}`")
        case .unknownParameter:
            ("parameter `${0}` has no value: pass it with --param {0}=…",
             "tham số `${0}` chưa có giá trị: truyền vào bằng --param {0}=…")
        case .typeMismatchBinary: ("`{0}` cannot combine {1} and {2}", "`{0}` không áp dụng được cho {1} và {2}")
        case .typeMismatchUnary: ("`{0}` cannot be applied to {1}", "`{0}` không áp dụng được cho {1}")
        case .wrongArgumentCount: ("`{0}` takes {1}, got {2}", "`{0}` nhận {1}, nhưng có {2}")
        case .argumentType: ("argument {0} of `{1}` must be {2}, got {3}", "đối số thứ {0} của `{1}` phải là {2}, nhưng là {3}")
        case .aggregateOutsideSummarize:
            ("`{0}` adds up many rows: use it in `summarize` (or `pivot … value`)",
             "`{0}` gộp nhiều dòng: hãy dùng trong `summarize` (hoặc `pivot … value`)")
        case .aggregateInsideAggregate: ("`{0}` cannot be used inside another aggregate", "không dùng `{0}` bên trong một hàm gộp khác")
        case .conditionNotBoolean: ("`{0}` needs a true/false condition; this is {1}", "`{0}` cần điều kiện đúng/sai; đây là {1}")
        case .duplicateColumn: ("column `{0}` appears twice in the result", "cột `{0}` xuất hiện hai lần trong kết quả")
        case .noRowsMatch: ("no row has {0} {1} \"{2}\"", "không có dòng nào có {0} {1} \"{2}\"")
        case .tableNames: ("tables: {0}", "các bảng: {0}")
        case .columnNames: ("columns here: {0}", "các cột hiện có: {0}")
        case .functionNames: ("functions: {0}", "các hàm: {0}")
        case .joinColumnMissing: ("table `{0}` has no column `{1}`", "bảng `{0}` không có cột `{1}`")
        case .joinTypeMismatch: ("cannot join {0} column `{1}` with {2} column `{3}`", "không thể nối cột {0} `{1}` với cột {2} `{3}`")
        case .pivotNeedsValue: ("`pivot` needs `value EXPR` when the table has no `value` column", "`pivot` cần `value BIỂU_THỨC` khi bảng không có cột `value`")
        case .sortNeedsValue: ("cannot sort by {0}", "không thể sắp xếp theo {0}")
        case .distinctUnknown: ("`distinct` takes column names", "`distinct` nhận tên cột")
        case .parameterHint: ("parameters given: {0}", "các tham số đã có: {0}")
        case .letShadowsBuiltin: ("`{0}` is a built-in table; choose another name", "`{0}` là bảng có sẵn; hãy chọn tên khác")
        case .unknownColumnInSummarize:
            ("column `{0}` is neither a `by` key nor inside an aggregate: add it after `by`, or use e.g. first({0})",
             "cột `{0}` không nằm sau `by` cũng không nằm trong hàm gộp: thêm nó sau `by`, hoặc dùng ví dụ first({0})")
        case .whyNeedsFacts:
            ("`why` needs rows that come from `facts` (or from a table made from it with `let`)",
             "`why` cần các dòng lấy từ `facts` (hoặc từ một bảng tạo ra từ nó bằng `let`)")
        case .stageNeedsFacts: ("`{0}` needs rows of `facts` (with columns {1})", "`{0}` cần các dòng của `facts` (có các cột {1})")
        case .compareNeedsValue:
            ("`compare` needs the number to compare: a `value` column, the table's only number column, or one named with `compare KEY value COLUMN`; after `summarize`, name the total value: summarize value = sum(value) by district, indicator",
             "`compare` cần biết số nào để so sánh: cột `value`, cột số duy nhất của bảng, hoặc cột chỉ rõ bằng `compare KHÓA value CỘT`; sau `summarize`, hãy đặt tên tổng là value: summarize value = sum(value) by district, indicator")
        case .compareNeedsTwo: ("`compare` needs at least two values of `{0}`; found {1}", "`compare` cần ít nhất hai giá trị của `{0}`; chỉ có {1}")
        case .chartNeedsNumber: ("`chart` needs a number column to draw; found {0}", "`chart` cần một cột số để vẽ; chỉ có {0}")
        case .chartMixedUnits:
            ("`chart` refuses to draw bars of different units side by side ({0}): filter to one unit first, e.g. `where unit == \"{1}\"`",
             "`chart` không vẽ chung các thanh khác đơn vị ({0}): hãy lọc một đơn vị trước, ví dụ `where unit == \"{1}\"`")
        case .chartNotLast: ("unexpected `{0}` after `chart`: chart must be the last stage", "không được có `{0}` sau `chart`: `chart` phải là bước cuối cùng")
        case .chartNeedsLabel: ("`chart` needs a text column for labels", "`chart` cần một cột chữ làm nhãn")
        case .chartWhichColumn:
            ("`chart` does not know which number to draw: there is no `value` column but {0} number columns ({1}); name one, e.g. chart {2}",
             "`chart` không biết vẽ số nào: không có cột `value` mà có {0} cột số ({1}); hãy nêu một cột, ví dụ chart {2}")
        case .sparkMixedDistricts:
            ("a sparkline draws one series, but these rows come from {0} districts ({1}); filter to one first: where district == \"{2}\"",
             "đường xu hướng vẽ một chuỗi số, nhưng các dòng này thuộc {0} quận/huyện ({1}); hãy lọc còn một: where district == \"{2}\"")
        case .sparkDuplicateLabel:
            ("a sparkline draws one point per label, but `{0}` appears in {1} rows (several series mixed?); filter to one series first, e.g. one district",
             "đường xu hướng vẽ mỗi nhãn một điểm, nhưng `{0}` có ở {1} dòng (lẫn nhiều chuỗi số?); hãy lọc còn một chuỗi trước, ví dụ một quận")

        // Reshape and places
        case .patternNotConstant:
            ("the pattern of `{0}` must be text written in quotes (a constant), not a column",
             "mẫu của `{0}` phải là chữ viết trong ngoặc kép (hằng số), không phải một cột")
        case .patternInvalid: ("`{0}` is not a valid regular expression: {1}", "`{0}` không phải biểu thức chính quy hợp lệ: {1}")
        case .patternNestedRepeat:
            ("the pattern `{0}` repeats a group that itself repeats or has alternatives (like (a+)+ or (a|ab)*), which can take forever on some text; repeat once instead, e.g. [ab]+",
             "mẫu `{0}` lặp lại một nhóm mà bên trong cũng lặp hoặc có lựa chọn (như (a+)+ hay (a|ab)*), có thể chạy mãi với một số đoạn chữ; hãy chỉ lặp một lần, ví dụ [ab]+")
        case .patternTooManyRepeats:
            ("the pattern `{0}` has more than {1} open-ended repeats (*, +, {n,}), which can take very long; bound some of them, e.g. {1,40}",
             "mẫu `{0}` có hơn {1} chỗ lặp không giới hạn (*, +, {n,}), có thể chạy rất lâu; hãy giới hạn bớt, ví dụ {1,40}")
        case .patternTooLong: ("the pattern is longer than {0} characters", "mẫu dài quá {0} ký tự")
        case .unpivotNoColumns: ("`unpivot` found no column {0}; columns here: {1}", "`unpivot` không tìm thấy cột nào {0}; các cột hiện có: {1}")
        case .unpivotRangeOrder:
            ("`unpivot {0}..{1}`: `{1}` comes before `{0}` in the table; write the range in the table's order",
             "`unpivot {0}..{1}`: cột `{1}` đứng trước `{0}` trong bảng; hãy viết khoảng theo thứ tự của bảng")
        case .unpivotMixedTypes:
            ("`unpivot` cannot put text and numbers in one column: {0} hold text, {1} hold numbers; unpivot them separately, or make them text first (derive x = text(x))",
             "`unpivot` không thể đặt chữ và số vào cùng một cột: {0} chứa chữ, {1} chứa số; hãy unpivot riêng, hoặc đổi sang chữ trước (derive x = text(x))")
        case .unpivotNameClash:
            ("`unpivot … into {0}`: the column `{1}` is kept from the table; choose another name",
             "`unpivot … into {0}`: cột `{1}` của bảng vẫn được giữ; hãy chọn tên khác")
        case .unpivotNothingChosen:
            ("`unpivot all except …` names every column, so none is left to turn into rows; columns here: {0}",
             "`unpivot all except …` nêu hết mọi cột, nên không còn cột nào để biến thành dòng; các cột hiện có: {0}")
        case .unpivotNothingLeft:
            ("`unpivot` would turn every column into rows, leaving no column to say which row a value came from; keep one with `all except NAME`",
             "`unpivot` sẽ biến mọi cột thành dòng, không còn cột nào cho biết giá trị thuộc dòng nào; hãy giữ một cột bằng `all except TÊN`")
        case .warnMixedPlaceKinds:
            ("{0} combines rows of {3} that name different kinds of place ({1}) in {2} groups: the whole country and a region already contain their provinces, so each province is counted more than once; keep one kind: where place_kind({3}) == \"province\"",
             "{0} gộp các dòng của {3} thuộc nhiều loại địa danh ({1}) trong {2} nhóm: cả nước và mỗi vùng đã bao gồm các tỉnh của nó, nên mỗi tỉnh bị tính nhiều lần; hãy giữ một loại: where place_kind({3}) == \"province\"")
        case .joinKeyNeedsColumn:
            ("a join key that is an expression needs the other table's column it must equal: `on EXPR == NAME` (for example `on place(name) == provinces.name`)",
             "khóa nối là một biểu thức thì cần cột của bảng kia mà nó phải bằng: `on BIỂU_THỨC == TÊN` (ví dụ `on place(name) == provinces.name`)")
        case .joinKeysUseComma:
            ("several join keys are separated by commas, not `and`: `on province, year` or `on a == b, c == d`",
             "nhiều khóa nối được ngăn cách bằng dấu phẩy, không dùng `and`: `on province, year` hoặc `on a == b, c == d`")
        case .joinRightNotColumn:
            ("the right side of a join key is a column of `{0}`, not an expression: put the expression on the left (`on EXPR == NAME`), or make it a column first with `let t = from {0} | derive key = …`",
             "vế phải của khóa nối là một cột của `{0}`, không phải biểu thức: hãy đặt biểu thức ở vế trái (`on BIỂU_THỨC == TÊN`), hoặc tạo cột trước bằng `let t = from {0} | derive key = …`")
        case .joinKeyOtherTable:
            ("`{0}.{1}`: the right side of a join key is a column of the joined table `{2}`; write `{2}.{1}` or `{1}`",
             "`{0}.{1}`: vế phải của khóa nối là một cột của bảng được nối `{2}`; hãy viết `{2}.{1}` hoặc `{1}`")

        case .cancelled: ("query cancelled", "đã hủy truy vấn")
        case .resultTooLarge:
            ("`{0}` would produce more than {1} {2}; raise the limit with `.limit {3} N`",
             "`{0}` sẽ tạo ra hơn {1} {2}; nâng giới hạn bằng `.limit {3} N`")
        case .divisionByZeroGaveNull: ("division by zero gave null for {0} values", "chia cho 0 cho kết quả null ở {0} giá trị")
        case .overflowGaveNull: ("a number overflowed (past the largest whole number or decimal) and gave null for {0} values", "số bị tràn (vượt số nguyên hoặc số thập phân lớn nhất) và cho kết quả null ở {0} giá trị")
        case .invalidArgumentValue: ("`{0}`: {1}", "`{0}`: {1}")
        case .warnPossiblyDoubleCounted:
            ("{0} may count one figure twice in {1} groups: one article gives the same amount for the same district and indicator over overlapping years, described differently; compare the quotes with `why`",
             "{0} có thể tính một số liệu hai lần ở {1} nhóm: cùng một bài báo nêu cùng một số tiền cho cùng quận/huyện và chỉ tiêu, trong các kỳ chồng lên nhau, với mô tả khác nhau; đối chiếu câu trích bằng `why`")
        case .warnPerCapitaSkipped:
            ("`per_capita`: {0} rows are rates or amounts per person and were left empty",
             "`per_capita`: {0} dòng là tỷ lệ hoặc số tiền trên mỗi người nên được để trống")

        case .warnMixedUnits:
            ("{0} adds up different units ({1}) in {2} groups: the totals mix kinds of things",
             "{0} cộng các đơn vị khác nhau ({1}) trong {2} nhóm: tổng đang trộn nhiều loại")
        case .warnMixedMeasures:
            ("{0} mixes measures ({1}) in {2} groups: a stock at a date and a flow over a period do not add up",
             "{0} trộn các loại số đo ({1}) trong {2} nhóm: số dư tại một thời điểm và số phát sinh trong kỳ không cộng được với nhau")
        case .warnSummedPercent:
            ("{0} adds up percentages in {1} groups: percentages of different bases do not add",
             "{0} cộng các tỷ lệ phần trăm trong {1} nhóm: tỷ lệ trên các mẫu số khác nhau không cộng được")
        case .warnApproximate:
            ("approximate values (khoảng, hơn, gần): {0} — ≈ about, > more than, ≲ nearly, < less than",
             "giá trị gần đúng (khoảng, hơn, gần): {0} — ≈ khoảng, > hơn, ≲ gần, < dưới")
        case .warnPopulationYear:
            ("per-resident figures divide by the {0} population ({1}); the figures are from {2}",
             "số bình quân đầu người chia cho dân số năm {0} ({1}); còn số liệu là của {2}")
        case .warnPeriodsDiffer:
            ("rows that compare different periods, units or measures are marked in `note`: {0} of them",
             "các dòng so sánh các kỳ, đơn vị hoặc loại số đo khác nhau được ghi chú trong cột `note`: {0} dòng")
        case .warnLessonPointer: ("why this matters: .tutorial {0} ({1})", "vì sao điều này quan trọng: .tutorial {0} ({1})")
        case .warnSummedAverages:
            ("{0} adds up per-year averages in {1} groups: a yearly average is not a total",
             "{0} cộng các số bình quân mỗi năm trong {1} nhóm: số bình quân năm không phải là tổng")
        case .warnDoubleCounted:
            ("{0} counts one figure twice in {1} groups (two sources report it, or a total is added to its own parts): keep one source (where source == …) or see `from conflicts`",
             "{0} đếm một số liệu hai lần trong {1} nhóm (hai nguồn cùng đưa tin, hoặc cộng tổng với chính các phần của nó): chỉ giữ một nguồn (where source == …) hoặc xem `from conflicts`")
        case .warnStockSummed:
            ("{0} adds up stocks at different dates in {1} groups: counts at two dates are not a total",
             "{0} cộng các số tồn ở những thời điểm khác nhau trong {1} nhóm: số đếm ở hai thời điểm không phải là tổng")

        case .warnDoubleCountedRows:
            ("{0} counts one figure twice for {1} (two sources report it, or a total is added to its own parts): keep one source, or see `from conflicts`",
             "{0} đếm một số liệu hai lần ở {1} (hai nguồn cùng đưa tin, hoặc cộng tổng với chính các phần của nó): chỉ giữ một nguồn, hoặc xem `from conflicts`")
        case .warnComparesUnits:
            ("{0} sets different units side by side ({1}) for {2}: they cannot be ranked or drawn on one scale",
             "{0} đặt cạnh nhau các đơn vị khác nhau ({1}) ở {2}: không xếp hạng hay vẽ chung một thang được")
        case .warnComparesMeasures:
            ("{0} sets different measures side by side ({1}) for {2}: a yearly average, a total over several years and a count at a date are different kinds of number",
             "{0} đặt cạnh nhau các loại số đo khác nhau ({1}) ở {2}: số bình quân mỗi năm, tổng của nhiều năm và số đếm tại một thời điểm là những loại số khác nhau")
        case .warnComparesPeriods:
            ("{0} sets figures for different periods side by side ({1}) for {2}: give each figure its period",
             "{0} đặt cạnh nhau số liệu của các kỳ khác nhau ({1}) ở {2}: ghi rõ kỳ của từng số")
        case .warnDefinitionsDiffer:
            ("{0} combines figures measured under different definitions ({1}) for {2}: part of any change comes from the new yardstick",
             "{0} kết hợp các số liệu đo theo những định nghĩa khác nhau ({1}) ở {2}: một phần thay đổi là do thước đo mới")
        case .warnAddsDifferentIndicators:
            ("{0} combines different indicators ({1}) for {2}: the same unit does not make them one quantity; keep one `indicator`",
             "{0} gộp các chỉ tiêu khác nhau ({1}) ở {2}: cùng đơn vị không có nghĩa là cùng một đại lượng; hãy giữ một `indicator`")
        case .joinDroppedRows:
            ("join dropped {0} of {1} rows that found no partner in `{2}` ({3}); `join left` keeps them with nulls",
             "join đã bỏ {0} trên {1} dòng không tìm thấy dòng tương ứng trong `{2}` ({3}); `join left` giữ chúng lại với giá trị null")
        case .compareDefinitionsDiffer: ("definitions differ: {0}", "khác định nghĩa: {0}")
        case .compareDefinitionNotStated: ("(not stated)", "(không ghi)")
        case .joinLeftUnmatched:
            ("join left found no partner in `{2}` for {0} of {1} rows ({3}): their columns from `{2}` are null",
             "join left không tìm thấy dòng tương ứng trong `{2}` cho {0} trên {1} dòng ({3}): các cột lấy từ `{2}` của chúng là null")
        case .warnComparesIndicators:
            ("{0} sets different indicators side by side ({1}) for {2}: they count different things (a job referral is not a job created); keep one `indicator`",
             "{0} đặt các chỉ tiêu khác nhau cạnh nhau ({1}) ở {2}: chúng đếm những thứ khác nhau (giới thiệu việc làm chưa phải là tạo việc làm); hãy giữ một `indicator`")
        case .warnDefinitionsMarked:
            ("rows that compare figures measured under different definitions (or an unstated one) are marked in `note`: {0} of them",
             "các dòng so sánh số liệu đo theo những định nghĩa khác nhau (hoặc không ghi định nghĩa) được ghi chú trong cột `note`: {0} dòng")
        case .warnDefinitionUnstated:
            ("{0} sets figures measured under {1} beside figures whose source does not say which definition it used, for {2}: part of any change may come from a new yardstick",
             "{0} đặt các số liệu đo theo {1} cạnh những số liệu mà nguồn không nói theo định nghĩa nào, ở {2}: một phần thay đổi có thể là do thước đo mới")
        case .warnTargetsWithOutcomes:
            ("{0} mixes planned figures (targets) with outcomes for {1}: a plan is not a result",
             "{0} trộn số kế hoạch (mục tiêu) với kết quả đạt được ở {1}: kế hoạch không phải là kết quả")
        case .warnTargetsCounted:
            ("{0} of the values shown are targets (plans; period {1}), not outcomes",
             "{0} giá trị đang hiện là mục tiêu (kế hoạch; kỳ {1}), không phải kết quả")
        case .warnUnrelatedRates:
            ("{0} averages rates of different things ({1}) for {2}: the result is not a rate of anything",
             "{0} lấy trung bình các tỷ lệ của những thứ khác nhau ({1}) ở {2}: kết quả không phải là tỷ lệ của thứ gì cả")
        case .warnTwoSourcesPicked:
            ("{0} chooses between two reports of one figure for {1}: the sources disagree, it is not two figures; see `from conflicts`",
             "{0} chọn giữa hai lần đưa tin về cùng một số liệu ở {1}: các nguồn vênh nhau, đó không phải hai số liệu; xem `from conflicts`")
        case .warnAverageTimesYears:
            ("{0} turns a yearly average into a total no source reported, for {1}: the years were not equal and the period may not be over",
             "{0} biến số bình quân mỗi năm thành một tổng mà không nguồn nào nêu, ở {1}: các năm không bằng nhau và kỳ có thể chưa kết thúc")
        case .warnHouseholdsPerResident:
            ("{0} divides a count of households by residents for {1}: a household is several people; divide households by households",
             "{0} chia số hộ cho số dân ở {1}: một hộ có nhiều người; hãy chia số hộ cho tổng số hộ")
        case .warnRelativeChangeOfRate:
            ("{0} is a relative change of percentages for {1}: say the change in percentage points (the difference), or call it a relative change",
             "{0} là mức thay đổi tương đối của các tỷ lệ phần trăm ở {1}: hãy nói mức thay đổi bằng điểm phần trăm (hiệu số), hoặc gọi rõ là thay đổi tương đối")
        case .warnRepeatedLabels:
            ("{0} draws {1} more than once: each bar is a different figure (another period, detail, definition or source), so the bars are not one series",
             "{0} vẽ {1} nhiều hơn một lần: mỗi cột là một số liệu khác (kỳ, nội dung, định nghĩa hoặc nguồn khác), nên các cột không phải một dãy số")

        case .unknownCommand: ("unknown command `{0}`", "không có lệnh `{0}`")
        case .seeHelp: ("type .help to list the commands", "gõ .help để xem danh sách lệnh")
        case .commandUsage: ("usage: {0}", "cách dùng: {0}")
        case .fileNotFound: ("cannot open `{0}`: no such file", "không mở được `{0}`: không có tệp này")
        case .fileUnreadable: ("cannot read `{0}`: {1}", "không đọc được `{0}`: {1}")
        case .fileNotUTF8: ("`{0}` is not valid UTF-8 text (first bad byte at line {1})", "`{0}` không phải văn bản UTF-8 hợp lệ (byte lỗi đầu tiên ở dòng {1})")
        case .fileExists:
            ("`{0}` already exists: add --force to overwrite it", "`{0}` đã tồn tại: thêm --force để ghi đè")
        case .fileWriteFailed: ("cannot write `{0}`: {1} (nothing was changed)", "không ghi được `{0}`: {1} (tệp cũ không bị thay đổi)")
        case .safeModeBlocked: ("{0} is not allowed in safe mode", "không được dùng {0} trong chế độ an toàn")
        case .importedTable: ("imported {0} rows into `{1}` ({2})", "đã nhập {0} dòng vào bảng `{1}` ({2})")
        case .exportedRows: ("wrote {0} rows to `{1}`", "đã ghi {0} dòng vào `{1}`")
        case .outputTo: ("results now go to `{0}`", "kết quả sẽ được ghi vào `{0}`")
        case .outputToStdout: ("results now go to the screen", "kết quả sẽ hiện trên màn hình")
        case .settingChanged: ("{0} is now {1}", "{0} bây giờ là {1}")
        case .timerLine: ("Run Time (s): real {0} user {1} sys {2}", "Thời gian chạy (giây): thực {0}, người dùng {1}, hệ thống {2}")
        case .historyProblem: ("history file `{0}` ignored: {1}", "bỏ qua tệp lịch sử `{0}`: {1}")
        case .rcProblem: ("in {0}", "trong {0}")
        case .helpTopicUnknown: ("no help on `{0}`; topics: {1}", "không có trợ giúp về `{0}`; các chủ đề: {1}")
        case .helpHeader: ("ansinh — welfare figures of Vietnamese districts", "ansinh — số liệu an sinh xã hội các quận, huyện")
        case .modeChanged: ("output mode is now {0}", "chế độ hiển thị bây giờ là {0}")
        case .unknownMode: ("unknown mode `{0}`; modes: {1}", "không có chế độ `{0}`; các chế độ: {1}")
        case .readDepthExceeded: ("`.read` nested more than {0} deep", "`.read` lồng sâu quá {0} mức")
        case .tableDropped: ("table `{0}` removed", "đã xóa bảng `{0}`")
        case .noLastResult: ("there is no result yet", "chưa có kết quả nào")
        case .safeModeOn: ("safe mode is on for the rest of this session", "chế độ an toàn được bật cho đến hết phiên này")
        case .scriptStopped: ("stopped at the first error (use --keep-going to run the rest)", "dừng ở lỗi đầu tiên (dùng --keep-going để chạy tiếp)")
        case .keepGoingSummary: ("{0} statements failed", "{0} câu lệnh bị lỗi")
        case .languageSet: ("language: English", "ngôn ngữ: tiếng Việt")
        case .interruptedLine: ("(line discarded)", "(đã bỏ dòng)")
        case .unknownSetting: ("unknown setting `{0}`; settings: {1}", "không có thiết lập `{0}`; các thiết lập: {1}")
        case .statementOK: ("ok", "xong")
        case .letDefined: ("`{0}` defined: {1} rows, {2} columns", "đã định nghĩa `{0}`: {1} dòng, {2} cột")
        case .paramMissing: ("--param needs name=value, got `{0}`", "--param cần dạng tên=giá_trị, nhưng là `{0}`")
        case .paramMalformed: ("parameter name `{0}` must be letters, digits or _, not starting with a digit", "tên tham số `{0}` chỉ gồm chữ, số hoặc _, không bắt đầu bằng số")
        case .outputClosed: ("wrote `{0}`", "đã ghi `{0}`")
        case .fileExistsReplace: ("`{0}` already exists; replace it? [y/N]", "`{0}` đã tồn tại; ghi đè? [y/N]")
        case .nothingWritten: ("`{0}` was kept as it was; nothing was written", "giữ nguyên `{0}`; không ghi gì")
        case .exportUnknownExtension:
            ("`{0}`: .export writes files ending in {1}", "`{0}`: .export chỉ ghi tệp có đuôi {1}")
        case .whyRowOutOfRange: ("row {0} is out of range (1–{1})", "dòng {0} nằm ngoài phạm vi (1–{1})")
        case .unknownDialect: ("unknown SQL dialect `{0}`; dialects: {1}", "không có phương ngữ SQL `{0}`; các phương ngữ: {1}")
        case .widthTooSmall: ("the width must be at least {0} columns (or auto), got {1}", "độ rộng phải từ {0} cột trở lên (hoặc auto), nhưng là {1}")
        case .cannotDropBuiltin: ("`{0}` is a built-in table and cannot be dropped", "`{0}` là bảng có sẵn, không xóa được")
        case .modeCurrent: ("output mode: {0}", "chế độ hiển thị: {0}")
        case .settingCurrent: ("{0} is {1}", "{0} đang là {1}")
        case .tableReplaced: ("the earlier table `{0}` ({1} rows) is replaced", "bảng `{0}` trước đó ({1} dòng) đã được thay")

        // Safety and files
        case .safeModeOutsideFolder:
            ("{0} is not allowed in safe mode: `{1}` leads outside this folder", "không được dùng {0} trong chế độ an toàn: `{1}` dẫn ra ngoài thư mục này")
        case .safeModeSpecialFile:
            ("{0} is not allowed in safe mode: `{1}` is not a regular file in this folder (a device, pipe or system file)",
             "không được dùng {0} trong chế độ an toàn: `{1}` không phải tệp thường trong thư mục này (thiết bị, ống dẫn hoặc tệp hệ thống)")
        case .safeModeUncheckable:
            ("{0} is not allowed in safe mode: where `{1}` leads cannot be checked ({2})", "không được dùng {0} trong chế độ an toàn: không kiểm tra được `{1}` dẫn tới đâu ({2})")
        case .safeModeHardLink:
            ("{0} is not allowed in safe mode: `{1}` has {2} names (hard links) and another one may be outside this folder",
             "không được dùng {0} trong chế độ an toàn: `{1}` có {2} tên (liên kết cứng), tên khác có thể nằm ngoài thư mục này")
        case .safeModeOutputClosed:
            ("safe mode: `{0}` is closed with what was written before; results now go to the screen",
             "chế độ an toàn: đã đóng `{0}` với những gì ghi trước đó; kết quả sẽ hiện trên màn hình")
        case .systemFile:
            ("cannot read `{0}`: it is a special file of the system ({1}), not a data file", "không đọc được `{0}`: đây là tệp đặc biệt của hệ thống ({1}), không phải tệp dữ liệu")
        case .streamTooLarge:
            ("`{0}` is a pipe or device and sent more than {1} MB; stopped reading (raise it with .limit memory_mb N)",
             "`{0}` là ống dẫn hoặc thiết bị và đã gửi hơn {1} MB; đã ngừng đọc (tăng bằng .limit memory_mb N)")
        case .argumentNotUTF8:
            ("argument {0} ({1}) is not valid UTF-8: byte {2} cannot be decoded", "tham số dòng lệnh thứ {0} ({1}) không phải UTF-8 hợp lệ: không giải mã được byte {2}")
        case .stdoutWriteFailed:
            ("cannot write the results to standard output: {0}; the output is incomplete", "không ghi được kết quả ra đầu ra chuẩn: {0}; kết quả bị thiếu")

        case .csvRaggedRow: ("line {0}: expected {1} fields, found {2}", "dòng {0}: cần {1} trường, nhưng có {2}")
        case .csvUnterminatedQuote: ("line {0}: a quoted field is never closed", "dòng {0}: một trường trong ngoặc kép không được đóng")
        case .csvEmptyHeader: ("column {0} of the header is empty; it was named `{1}`", "cột {0} của dòng tiêu đề bị trống; đặt tên là `{1}`")
        case .csvDuplicateHeader: ("the header repeats `{0}`; the copy was renamed `{1}`", "dòng tiêu đề lặp lại `{0}`; bản sau được đổi tên thành `{1}`")
        case .csvNoHeader: ("the file has no header row", "tệp không có dòng tiêu đề")
        case .csvInvalidUTF8:
            ("line {0}: the bytes are not UTF-8; if the file is Windows-1258 or Latin-1, convert it first (iconv -f CP1258 -t UTF-8)",
             "dòng {0}: dữ liệu không phải UTF-8; nếu tệp là Windows-1258 hoặc Latin-1, hãy chuyển đổi trước (iconv -f CP1258 -t UTF-8)")
        case .csvLegacyEncoding: ("line {0}: {1}", "dòng {0}: {1}")
        case .csvTooLarge: ("`{0}` is larger than the import limit of {1} MB (.limit import_mb N)", "`{0}` lớn hơn giới hạn nhập {1} MB (.limit import_mb N)")
        case .csvEmptyFile: ("`{0}` is empty", "`{0}` là tệp rỗng")
        case .csvBOMRemoved: ("a byte-order mark was removed", "đã bỏ dấu BOM ở đầu tệp")
        case .csvNULByte: ("line {0}: contains a NUL byte", "dòng {0}: có byte NUL")
        case .csvReadAsDecimals:
            ("column `{0}`: every value looks like `{1}` and nothing in the file tells which decimal mark it uses: read as a decimal ({2}); if the dot groups thousands, the Vietnamese way, it is {3}: import with (decimal ',')",
             "cột `{0}`: mọi giá trị đều có dạng `{1}` và tệp không cho biết dấu thập phân là gì: được đọc là số thập phân ({2}); nếu dấu chấm ngăn cách hàng nghìn theo cách viết Việt Nam thì là {3}: nhập với (decimal ',')")
        case .csvReadAsThousands:
            ("column `{0}`: `{1}` read as {2}: the dot groups thousands, as the file's decimal commas (`{4}`) show; if the dot is a decimal point it is {3}: import with (decimal '.')",
             "cột `{0}`: `{1}` được đọc là {2}: dấu chấm ngăn cách hàng nghìn, vì tệp dùng dấu phẩy thập phân (`{4}`); nếu dấu chấm là dấu thập phân thì là {3}: nhập với (decimal '.')")
        case .csvReadAsDecimalsByEvidence:
            ("column `{0}`: `{1}` read as {2}: the file's other numbers (`{4}`) have a decimal point; if the dot groups thousands it is {3}: import with (decimal ',')",
             "cột `{0}`: `{1}` được đọc là {2}: các số khác trong tệp (`{4}`) dùng dấu chấm thập phân; nếu dấu chấm ngăn cách hàng nghìn thì là {3}: nhập với (decimal ',')")
        case .csvMissingMarkers:
            ("{0} read as null (no figure) in {1} cells, in the number columns {2}",
             "{0} được đọc là null (không có số liệu) ở {1} ô, trong các cột số {2}")
        case .csvTitleLine:
            ("line {0} is a title, not the header; kept as the table's description: {1}",
             "dòng {0} là tiêu đề, không phải dòng tên cột; được giữ làm mô tả của bảng: {1}")
        case .csvFootnotes:
            ("{0} note lines after the last row are kept with the table (.schema shows them): {1}",
             "{0} dòng ghi chú sau dòng dữ liệu cuối được giữ cùng bảng (.schema hiện chúng): {1}")
        case .csvConvertedUTF16: ("the file is {0} (it starts with a byte-order mark); converted to UTF-8", "tệp mã hoá {0} (bắt đầu bằng dấu BOM); đã chuyển sang UTF-8")
        case .csvConvertedUTF16WithoutBOM:
            ("every other byte is zero: the file was read as {0} and converted to UTF-8; if that is wrong, give (encoding 'utf-8')",
             "cứ một byte lại có một byte 0: tệp được đọc là {0} và chuyển sang UTF-8; nếu sai, hãy dùng (encoding 'utf-8')")
        case .csvConvertedSingleByte:
            ("the file is not UTF-8 (line {0}): read as {1} and converted; if letters look wrong, import with (encoding '{2}')",
             "tệp không phải UTF-8 (dòng {0}): được đọc là {1} và đã chuyển đổi; nếu chữ bị sai, hãy nhập với (encoding '{2}')")
        case .csvInvisibleInHeader:
            ("the name of column {0} held an invisible character, {1}; it was taken out: `{2}`",
             "tên cột {0} chứa ký tự vô hình {1}; ký tự này đã được bỏ: `{2}`")
        case .csvMoreDuplicateHeaders: ("{0} more repeated names in the header were numbered the same way", "{0} tên lặp lại khác trong dòng tiêu đề cũng được đánh số như vậy")
        case .csvLineOverMemoryLimit:
            ("line {0} is {2} MB long, more than the memory limit of {1} MB: its cells could not be held within it (raise it with .limit memory_mb N)",
             "dòng {0} dài {2} MB, vượt giới hạn bộ nhớ {1} MB: không thể giữ các ô của dòng này trong giới hạn đó (tăng bằng .limit memory_mb N)")
        case .csvTooManyColumns:
            ("line {0}: more than {1} columns; ansinh reads at most {1} (as many as a spreadsheet holds)",
             "dòng {0}: nhiều hơn {1} cột; ansinh chỉ đọc tối đa {1} cột (bằng số cột của một bảng tính)")
        case .csvRaggedAfterTitle:
            ("line {0}: expected {1} field, found {2}: line {3}, read as the header, looks like a title; give the header's line: (header N)",
             "dòng {0}: cần {1} trường, nhưng có {2}: dòng {3}, được đọc là dòng tên cột, có vẻ là tiêu đề; hãy cho biết dòng tên cột: (header N)")
        case .csvRaggedSplitValue:
            ("line {0}: expected {1} fields, found {2}: the `{3}` in `{4}` splits a value in two; put that value in double quotes, or give another delimiter: (delimiter ';')",
             "dòng {0}: cần {1} trường, nhưng có {2}: dấu `{3}` trong `{4}` tách một giá trị làm hai; hãy đặt giá trị đó trong ngoặc kép, hoặc chọn dấu phân cách khác: (delimiter ';')")
        case .importOptionSyntax:
            ("cannot read the options `{0}`: write them as (delimiter ';', header 3, null '..', decimal ',', encoding 'windows-1258', types (year integer))",
             "không đọc được tùy chọn `{0}`: hãy viết dạng (delimiter ';', header 3, null '..', decimal ',', encoding 'windows-1258', types (year integer))")
        case .importOptionValue: ("the option {0} cannot be `{1}`: use {2}", "tùy chọn {0} không thể là `{1}`: hãy dùng {2}")
        case .importOptionUnknown: ("unknown import option `{0}`; the options are {1}", "không có tùy chọn nhập `{0}`; các tùy chọn là {1}")
        case .importOptionMissingValue: ("the option {0} needs a value", "tùy chọn {0} cần một giá trị")
        case .importHeaderBeyondEnd: ("(header {0}): the file has fewer lines", "(header {0}): tệp không có nhiều dòng như vậy")
        case .importDeclaredTypeMismatch:
            ("line {0}: `{1}` is declared {2} in (types …) but holds \"{3}\"; declare it {4}, or read such cells as missing with (null '{3}')",
             "dòng {0}: cột `{1}` được khai báo là {2} trong (types …) nhưng chứa \"{3}\"; hãy khai báo là {4}, hoặc coi các ô như vậy là thiếu bằng (null '{3}')")
        case .importTypesUnknownColumn: ("(types …): the file has no column `{0}`", "(types …): tệp không có cột `{0}`")
        case .schemaFileNote: ("file note: {0}", "ghi chú của tệp: {0}")
        case .csvUnitsFound:
            ("units named in the file's title or header are kept with {0} (.schema shows them), so sums say when they add percentages or mix units",
             "đơn vị ghi trong tiêu đề hoặc tên cột được giữ cùng {0} (.schema hiện chúng), để phép cộng báo khi cộng tỷ lệ phần trăm hoặc trộn đơn vị")
        case .csvUnitsFromCells:
            ("the units named in the `{1}` cells of each row are kept with {0} (.schema shows them), so sums say when they add percentages or mix units",
             "đơn vị ghi trong ô `{1}` của từng dòng được giữ cùng {0} (.schema hiện chúng), để phép cộng báo khi cộng tỷ lệ phần trăm hoặc trộn đơn vị")
        case .csvPreliminary:
            ("{0}: preliminary figures (Pre./Prel. in the header); they may be revised", "{0}: số liệu sơ bộ (Pre./Prel. trong tên cột); có thể được điều chỉnh")
        case .csvPreliminaryRows:
            ("column `{0}` marks some rows as preliminary (`{1}`); they may be revised", "cột `{0}` đánh dấu một số dòng là sơ bộ (`{1}`); có thể được điều chỉnh")
        case .helpImport:
            ("""
.import FILE [AS NAME] [(option value, …)]
  Loads a CSV/TSV file, such as a statistics office's (GSO, PX-Web) export, with no options:
  - the delimiter (, ; tab |) is chosen from many lines, not the first;
  - title lines above the header become the table's description (.tables, .schema), source and
    note lines after the last row are kept (.schema); a header of years ("2006";"2008") is a header;
  - .. ... - NA n/a in a number column are null, said in one note (which, how many, where);
  - the decimal mark comes from the file's numbers: 1.374 beside 4,69 is 1374; 0.649 or 15.5
    beside 14.200 make it 14.2; when nothing tells, the note says which reading was taken;
  - UTF-8 (with or without BOM), UTF-16 with a BOM, and Windows-1258 / Latin-1 (converted, noted).
  Every guess that could be wrong is named in a note. When one is wrong, say what it should be:
    .import "Poverty rate by province.csv" AS pov (delimiter ';', header 3, null '..', decimal ',',
            encoding 'windows-1258', types (year integer))
  delimiter ',' ';' '|' 'tab' · header N (line number; none: no header) · null '..' or ('..', '-')
  decimal '.' or ',' · encoding utf-8, utf-16le, utf-16be, windows-1258, latin-1 · types (COL TYPE, …)
  In queries: number(text[, ',']) reads a plain number; vn_number(text) reads Vietnamese writing.
.import FILE.xlsx [AS NAME] [(sheet 'Name', range 'A3:H70')]
  Reads an Excel workbook's first sheet (or the one named) the same way: title rows, header, notes,
  markers and units as above; numbers as numbers, dates as 2024-03-31, merged header cells joined
  (Total over 1995: `Total 1995`); the note names the sheet and lists the others. An .xls file (old
  binary format), a password or a damaged file is refused: save it as .xlsx or CSV.
""",
             """
.import TỆP [AS TÊN] [(tùy_chọn giá_trị, …)]
  Nạp tệp CSV/TSV, ví dụ tệp xuất của Tổng cục Thống kê (PX-Web), không cần tùy chọn:
  - dấu phân cách (, ; tab |) được chọn từ nhiều dòng, không chỉ dòng đầu;
  - dòng tiêu đề phía trên dòng tên cột thành mô tả của bảng (.tables, .schema), dòng nguồn và
    ghi chú sau dòng cuối được giữ (.schema); dòng tên cột toàn là năm ("2006";"2008") vẫn là tên cột;
  - .. ... - NA n/a trong cột số là null, có một dòng ghi chú (ký hiệu nào, bao nhiêu ô, ở đâu);
  - dấu thập phân được suy từ các số trong tệp: 1.374 bên cạnh 4,69 là 1374; 0.649 hoặc 15.5
    bên cạnh 14.200 cho 14.2; khi tệp không cho biết, ghi chú nói đã đọc theo cách nào;
  - UTF-8 (có hoặc không BOM), UTF-16 có BOM, và Windows-1258 / Latin-1 (được chuyển, có ghi chú).
  Mọi phỏng đoán có thể sai đều có ghi chú. Khi sai, hãy nói rõ:
    .import "Poverty rate by province.csv" AS pov (delimiter ';', header 3, null '..', decimal ',',
            encoding 'windows-1258', types (year integer))
  delimiter ',' ';' '|' 'tab' · header N (số dòng; none: không có) · null '..' hoặc ('..', '-')
  decimal '.' hoặc ',' · encoding utf-8, utf-16le, utf-16be, windows-1258, latin-1 · types (CỘT KIỂU, …)
  Trong truy vấn: number(chữ[, ',']) đọc một số thuần; vn_number(chữ) đọc số viết kiểu Việt Nam.
.import TỆP.xlsx [AS TÊN] [(sheet 'Tên trang', range 'A3:H70')]
  Đọc trang tính đầu tiên (hoặc trang được nêu tên) của sổ tính Excel theo cùng cách: dòng tiêu đề,
  dòng tên cột, ghi chú, ký hiệu thiếu số liệu và đơn vị như trên; số vẫn là số, ngày viết dạng
  2024-03-31, ô gộp ở dòng tên cột được ghép tên (Total trên 1995: `Total 1995`); ghi chú nêu trang
  đã đọc và các trang khác. Tệp .xls (định dạng nhị phân cũ), tệp có mật khẩu hay bị hỏng bị từ
  chối: hãy lưu thành .xlsx hoặc CSV.
""")
        // Spreadsheet import
        case .xlsxSheetRead:
            ("read the sheet `{0}`; the workbook's other sheets: {1} (choose one with (sheet 'NAME'))",
             "đã đọc trang tính `{0}`; các trang khác của sổ tính: {1} (chọn trang bằng (sheet 'TÊN'))")
        case .xlsxOnlySheet: ("read the sheet `{0}`, the workbook's only sheet", "đã đọc trang tính `{0}`, trang duy nhất của sổ tính")
        case .xlsxNotZip:
            ("`{0}` is not an Excel workbook: a .xlsx file is a zip archive and this one is not; if it holds text (CSV), rename it to .csv",
             "`{0}` không phải sổ tính Excel: tệp .xlsx là một tệp nén zip nhưng tệp này không phải; nếu nó chứa văn bản (CSV), hãy đổi đuôi thành .csv")
        case .xlsxLegacy:
            ("`{0}` is an Excel 97–2003 workbook (.xls), an old binary format ansinh does not read: open it in Excel or LibreOffice and save it as .xlsx or CSV",
             "`{0}` là sổ tính Excel 97–2003 (.xls), định dạng nhị phân cũ mà ansinh không đọc: hãy mở bằng Excel hoặc LibreOffice rồi lưu thành .xlsx hoặc CSV")
        case .xlsxEncrypted:
            ("`{0}` is protected by a password (encrypted): save a copy without the password, as .xlsx or CSV, and import that",
             "`{0}` được bảo vệ bằng mật khẩu (mã hoá): hãy lưu một bản không có mật khẩu, dạng .xlsx hoặc CSV, rồi nhập bản đó")
        case .xlsxNoSheet: ("the workbook `{0}` has no sheet `{1}`; its sheets are {2}", "sổ tính `{0}` không có trang `{1}`; các trang của nó là {2}")
        case .xlsxBadRange:
            ("(range '{0}'): not a range of cells; write it as 'A3:H70' (columns A to XFD, rows 1 to 1048576)",
             "(range '{0}'): không phải một vùng ô; hãy viết dạng 'A3:H70' (cột từ A đến XFD, dòng từ 1 đến 1048576)")
        case .xlsxDamaged: ("`{0}` is damaged: its part {1} cannot be read; open it in Excel or LibreOffice and save it again", "`{0}` bị hỏng: không đọc được phần {1} của tệp; hãy mở bằng Excel hoặc LibreOffice rồi lưu lại")
        case .xlsxTooLarge:
            ("`{0}`: the part {1} would take more than the memory limit of {2} MB once unpacked (.limit memory_mb N)",
             "`{0}`: phần {1} khi giải nén sẽ cần nhiều hơn giới hạn bộ nhớ {2} MB (.limit memory_mb N)")
        case .xlsxNotWorkbook:
            ("`{0}` is a zip archive but not an Excel workbook (it has no workbook part); save the table as .xlsx or CSV",
             "`{0}` là tệp nén zip nhưng không phải sổ tính Excel (không có phần workbook); hãy lưu bảng thành .xlsx hoặc CSV")
        case .xlsxOpenDocument:
            ("`{0}` is an OpenDocument spreadsheet (.ods), which ansinh does not read: save it as .xlsx or CSV",
             "`{0}` là bảng tính OpenDocument (.ods), định dạng ansinh không đọc: hãy lưu thành .xlsx hoặc CSV")
        case .xlsxOptionNotForSpreadsheet:
            ("the option {0} is for text files; a spreadsheet's cells need none (its options: sheet, range, header, null, decimal, types)",
             "tùy chọn {0} chỉ dành cho tệp văn bản; ô của bảng tính không cần (tùy chọn cho bảng tính: sheet, range, header, null, decimal, types)")
        case .xlsxOptionOnlyForSpreadsheet:
            ("the option {0} is for spreadsheets (.xlsx); `{1}` is read as a text file",
             "tùy chọn {0} chỉ dành cho bảng tính (.xlsx); `{1}` được đọc như tệp văn bản")
        case .xlsxChartSheet: ("the sheet `{0}` is a chart, not a table of cells", "trang `{0}` là một biểu đồ, không phải bảng ô")
        case .xlsxEmptySheet: ("the sheet `{0}` has no cells{1}", "trang `{0}` không có ô nào{1}")
        case .xlsxTitleRow:
            ("row {0} is a title, not the header; kept as the table's description: {1}",
             "dòng {0} là tiêu đề, không phải dòng tên cột; được giữ làm mô tả của bảng: {1}")
        case .xlsxMergedCells:
            ("{0} merged cell ranges ({1}): the value of each fills all its cells",
             "{0} vùng ô gộp ({1}): giá trị của mỗi vùng được điền vào mọi ô của vùng đó")
        case .xlsxHeaderRowsJoined:
            ("rows {0} and {1} together are the header (a merged cell spans columns above the second): names joined, such as `{2}`",
             "dòng {0} và {1} cùng là dòng tên cột (một ô gộp trải qua nhiều cột phía trên dòng thứ hai): tên được ghép, ví dụ `{2}`")
        case .xlsxErrorCells: ("{0} cells hold a formula error (such as {1}): read as null", "{0} ô có lỗi công thức (ví dụ {1}): được đọc là null")
        case .xlsxDates:
            ("dates in {0} are written 2024-03-31 (text that sorts and compares in date order)",
             "ngày tháng trong {0} được viết dạng 2024-03-31 (chữ, sắp xếp và so sánh đúng thứ tự ngày)")
        case .csvUTF16: ("line 1: the file is UTF-16, not UTF-8; convert it first (iconv -f UTF-16 -t UTF-8)", "dòng 1: tệp mã hoá UTF-16, không phải UTF-8; hãy chuyển trước (iconv -f UTF-16 -t UTF-8)")

        // Remote databases
        case .remoteNoDriver:
            ("PostgreSQL's client library libpq could not be loaded ({0}); install it (Debian: apt-get install libpq5) or set ANSINH_LIBPQ to its path",
             "không nạp được thư viện libpq của PostgreSQL ({0}); hãy cài nó (Debian: apt-get install libpq5) hoặc đặt ANSINH_LIBPQ là đường dẫn tới nó")
        case .remoteBadURL:
            ("`{0}` is not a PostgreSQL address: write postgres://user@host:port/database (the password comes from PGPASSWORD or ~/.pgpass)",
             "`{0}` không phải địa chỉ PostgreSQL: hãy viết postgres://người_dùng@máy:cổng/cơ_sở_dữ_liệu (mật khẩu lấy từ PGPASSWORD hoặc ~/.pgpass)")
        case .remoteConnectFailed: ("could not connect to {0}: {1}", "không kết nối được tới {0}: {1}")
        case .remoteConnected:
            ("connected to {0}: {1} tables and views, named pg.SCHEMA.TABLE (and by their bare name where no local table has it)",
             "đã kết nối tới {0}: {1} bảng và khung nhìn, gọi bằng pg.LƯỢC_ĐỒ.BẢNG (và bằng tên trần khi không có bảng cục bộ trùng tên)")
        case .remoteDisconnected: ("disconnected from {0}", "đã ngắt kết nối khỏi {0}")
        case .remoteNotConnected: ("no database is connected (.connect postgres://user@host/database)", "chưa kết nối cơ sở dữ liệu nào (.connect postgres://người_dùng@máy/cơ_sở_dữ_liệu)")
        case .remoteQueryFailed: ("the server {0} refused the query: {1}", "máy chủ {0} từ chối câu truy vấn: {1}")
        case .remoteConnectionLost: ("the connection to {0} was lost: {1} (.connect again)", "mất kết nối tới {0}: {1} (hãy .connect lại)")
        case .remoteUntranslatable:
            ("this pipeline reads a table on {0} but cannot run there: {1} (keep the server's part in a let, then go on locally: let t = from … | where …)",
             "câu lệnh đọc một bảng trên {0} nhưng không chạy được ở đó: {1} (hãy lưu phần chạy trên máy chủ bằng let, rồi làm tiếp tại máy: let t = from … | where …)")
        case .remoteMixed:
            ("`{0}` is on the server {1} and `{2}` is local: one pipeline cannot read both yet (let t = from … pulls the server's rows first)",
             "`{0}` nằm trên máy chủ {1} còn `{2}` ở máy này: một câu lệnh chưa đọc được cả hai (let t = from … lấy các dòng từ máy chủ về trước)")
        case .remoteChecksSkipped:
            ("computed on the server {0}: the checks for mixed units, periods and double counting were not made there",
             "tính trên máy chủ {0}: chưa kiểm tra được ở đó việc trộn đơn vị, kỳ số liệu và đếm trùng")
        case .remoteExplainHeader: ("runs on the server {0} as this SQL:", "chạy trên máy chủ {0} bằng câu SQL này:")
        case .remoteTableSummary: ("table on {0}", "bảng trên {0}")
        case .remoteViewSummary: ("view on {0}", "khung nhìn trên {0}")
        case .remoteRows: ("remote", "từ xa")
        case .remoteSafeMode: ("--safe refuses .connect unless --allow-connect is given", "--safe không cho .connect trừ khi có --allow-connect")
        case .tutorialHeading: ("Lesson {0}/{1}: {2}", "Bài {0}/{1}: {2}")
        case .tutorialTask: ("Your task: {0}", "Bài tập: {0}")
        case .tutorialFooter: ("(.tutorial hint · .tutorial solution · .tutorial quit)",
                               "(.tutorial hint: gợi ý · .tutorial solution: lời giải · .tutorial quit: thoát)")
        case .tutorialHint: ("Hint: {0}", "Gợi ý: {0}")
        case .tutorialSolution: ("Solution: {0}", "Lời giải: {0}")
        case .tutorialCorrect: ("✓ Correct! Type .tutorial next for the next lesson.", "✓ Đúng rồi! Gõ .tutorial next để sang bài tiếp.")
        case .tutorialCorrectLessonsLeft:
            ("✓ Correct! That was the last lesson; still to do: {0} (.tutorial N opens one, .tutorial list shows them all).",
             "✓ Đúng rồi! Đây là bài cuối; còn các bài chưa làm: {0} (.tutorial N để mở, .tutorial list để xem tất cả).")
        case .tutorialFinished: ("✓ Correct! You have finished every lesson.", "✓ Đúng rồi! Bạn đã học xong tất cả các bài.")
        case .tutorialNotYet: ("Not yet.", "Chưa đúng.")
        case .tutorialNotYetBecause: ("Not yet: {0}.", "Chưa đúng: {0}.")
        case .tutorialMissingColumn: ("your result has no column `{0}`", "kết quả của bạn không có cột `{0}`")
        case .tutorialRowCount: ("your result has {0} rows, the answer has {1} rows", "kết quả của bạn có {0} dòng, đáp án có {1} dòng")
        case .tutorialValuesDiffer: ("the values in column `{0}` are not the answer's", "giá trị trong cột `{0}` chưa khớp với đáp án")
        case .tutorialRowsMismatched:
            ("each column has the right values, but they are not paired up in the same rows as in the answer",
             "mỗi cột đều có đúng các giá trị, nhưng chúng không nằm cùng dòng với nhau như trong đáp án")
        case .tutorialOrderDiffers: ("the rows are right but not in the order asked for", "các dòng đã đúng nhưng chưa theo thứ tự đề bài yêu cầu")
        case .tutorialNumberMissing: ("your result does not contain the number asked for", "kết quả của bạn không chứa con số đề bài hỏi")
        case .tutorialNoResult: ("your statement gave no result to compare", "câu lệnh của bạn không cho ra kết quả nào để so sánh")
        case .tutorialLastLesson:
            ("Lesson {0} is the last lesson. Type .tutorial 1 to go back to the first one, .tutorial list to see them all, or .tutorial reset to start over.",
             "Bài {0} là bài cuối cùng. Gõ .tutorial 1 để quay lại bài đầu, .tutorial list để xem danh sách bài, hoặc .tutorial reset để học lại từ đầu.")
        case .tutorialFirstLesson:
            ("Lesson {0} is the first lesson. Type .tutorial next to go on, or .tutorial list to see them all.",
             "Bài {0} là bài đầu tiên. Gõ .tutorial next để học tiếp, hoặc .tutorial list để xem danh sách bài.")
        // Export and report
        case .exportedDataPackage: ("described it in `{0}` (columns, units, notes, sources)", "mô tả tệp trong `{0}` (các cột, đơn vị, ghi chú, nguồn)")
        case .reportWritten: ("wrote the report `{1}` (results: {0})", "đã ghi báo cáo `{1}` (số kết quả: {0})")
        case .reportCollecting: ("collecting results for a report in `{0}`; .report alone writes it", "đang gom kết quả vào báo cáo `{0}`; gõ .report để ghi ra tệp")
        case .reportNothingToWrite: ("no report is being collected: start one with .report FILE.html", "chưa gom báo cáo nào: bắt đầu bằng .report TỆP.html")
        case .reportUnknownExtension: ("`{0}`: a report is .html or .md", "`{0}`: báo cáo phải là tệp .html hoặc .md")
        case .reportAlreadyCollecting: ("already collecting a report in `{0}`: type .report to write it first", "đang gom kết quả vào báo cáo `{0}`: gõ .report để ghi nó ra trước")
        case .reportNoResults: ("the report `{0}` has no results yet: nothing written (run a query first)", "báo cáo `{0}` chưa có kết quả nào: chưa ghi gì (hãy chạy một câu lệnh trước)")
        case .reportNotWritten: ("the script stopped with an error: no report was written to `{0}`", "kịch bản dừng vì lỗi: không ghi báo cáo nào vào `{0}`")
        case .reportDefaultTitle: ("Report", "Báo cáo")
        case .reportMadeWith: ("Made with ansinh {0} on {1}. Numbers marked ≈ are approximate, > more than, ≲ nearly, < less than, as the sources say.",
                               "Tạo bằng ansinh {0} ngày {1}. Số có dấu ≈ là số xấp xỉ, > là hơn, ≲ là gần, < là dưới, như nguồn viết.")
        case .reportResultHeading: ("Result {0}", "Kết quả {0}")
        case .reportSourcesColumn: ("sources", "nguồn")
        case .reportSourcesHeading: ("Sources of the figures", "Nguồn của các số liệu")
        case .reportSourcesIntro: ("Each figure above comes from a sentence of a published article, quoted here word for word with the article, its publisher and its date.",
                                   "Mỗi số liệu ở trên lấy từ một câu trong một bài báo đã đăng, được trích nguyên văn dưới đây cùng tên bài, cơ quan đăng và ngày đăng.")
        case .reportUndated: ("undated", "không rõ ngày")
        case .reportReproduceHeading: ("How to reproduce this report", "Cách tạo lại báo cáo này")
        case .reportVersion: ("program", "chương trình")
        case .reportDate: ("made on", "ngày tạo")
        case .reportDataHash: ("data fingerprint (FNV-1a of every table)", "dấu vân tay dữ liệu (FNV-1a của mọi bảng)")
        case .reportParameters: ("parameters", "tham số")
        case .reportScript: ("The script {0}", "Kịch bản {0}")
        case .reportCommand: ("command", "lệnh")
        case .reportStatement: ("statement", "câu lệnh")
        case .reportChartUnit: ("unit: {0}", "đơn vị: {0}")
        case .reportChartPeriod: ("period: {0}", "kỳ: {0}")
        case .reportChartRowsLeftOut: ("rows not drawn ({0}): the figures within each of them have different units", "{0} dòng không được vẽ: các số liệu trong mỗi dòng có đơn vị khác nhau")
        case .reportChartLegend: ("Pale, dashed bars and hollow points are not exact figures (≈ > ≲ <).", "Cột nhạt viền đứt và điểm rỗng là số liệu không chính xác (≈ > ≲ <).")
        case .reportRowsCut: ("the first {0} of {1} rows are shown; .export writes them all", "hiện {0} trong số {1} dòng đầu tiên; .export ghi ra tất cả")
        case .reportNotesHeading: ("What to keep in mind", "Cần lưu ý")
        case .reportFactLink: ("source of row {0}", "nguồn của dòng {0}")
        case .reportContents: ("Results", "Các kết quả")
        case .reportChartRowsNotComparable: ("rows not drawn side by side ({0}): `compare` found their figures not comparable (see `note`)", "{0} dòng không được vẽ cạnh nhau: `compare` thấy các số liệu của chúng không so sánh được (xem cột `note`)")
        case .reportSVGWritten: ("wrote the charts beside it: {0}", "đã ghi các biểu đồ bên cạnh: {0}")
        case .whyNoRows: ("the last result has no rows, so there is no row {0}", "kết quả gần nhất không có dòng nào, nên không có dòng {0}")
        case .tutorialStepTask: ("Task {0} of {1}: {2}", "Bài tập {0}/{1}: {2}")
        case .tutorialSentenceHow:
            ("(Write your sentence after .tutorial answer, e.g. `.tutorial answer Thanh Xuân …`.)",
             "(Viết câu của bạn sau .tutorial answer, ví dụ `.tutorial answer Thanh Xuân …`.)")
        case .tutorialStepCorrect: ("✓ Correct! On to the next task of this lesson.", "✓ Đúng rồi! Sang bài tập tiếp theo của bài này.")
        case .tutorialNoSentenceWanted:
            ("This task is answered with a query, not a sentence; .tutorial answer is for the tasks that ask you to write one.",
             "Bài tập này cần một câu lệnh truy vấn, không phải một câu viết; .tutorial answer dành cho bài tập yêu cầu viết câu.")
        case .tutorialSolutionOffer: ("Stuck? .tutorial solution shows one answer.", "Bí quá? .tutorial solution cho xem một lời giải.")
        case .tutorialStatusDone: ("Lessons done: {0} of {1}", "Số bài đã xong: {0}/{1}")
        case .tutorialStatusNow: ("Now: lesson {0} ({1}), task {2} of {3}", "Đang học: bài {0} ({1}), bài tập {2}/{3}")
        case .tutorialStatusAttempts:
            ("Answers: {0} ({1} correct); hints asked for: {2}; solutions shown: {3}",
             "Số lần trả lời: {0} ({1} lần đúng); số lần xem gợi ý: {2}; số lần xem lời giải: {3}")
        case .tutorialStatusLesson: ("{0} lesson {1}: {2} of {3} tasks, {4} answers", "{0} bài {1}: {2}/{3} bài tập, {4} lần trả lời")
        case .tutorialStudentIs: ("Student: {0}", "Học viên: {0}")
        case .tutorialWarningMissing:
            ("no note pointing to {0} is under your result yet: run the tempting query the task describes, then read the note",
             "dưới kết quả của bạn chưa có lời nhắc nào dẫn tới {0}: hãy chạy câu lệnh \"dễ sai\" mà đề bài mô tả, rồi đọc lời nhắc")
        case .tutorialWarningStill:
            ("the note pointing to {0} is still under your result: the mistake is not fixed yet",
             "lời nhắc dẫn tới {0} vẫn còn dưới kết quả của bạn: lỗi chưa được sửa")
        case .tutorialWordsMissing: ("your sentence lacks: {0}", "câu của bạn còn thiếu: {0}")
        case .tutorialTopicName: ("lesson {0} ({1})", "bài {0} ({1})")
        case .tutorialExported: ("wrote {0} attempts of {1} to `{2}`", "đã ghi {0} lần làm bài của {1} vào `{2}`")
        case .tutorialProgressCleared: ("Progress cleared.", "Đã xóa tiến độ.")
        case .tutorialLeft: ("Left the tutorial (.tutorial to come back).", "Đã rời bài học (.tutorial để quay lại).")
        case .tutorialSolutionBroken: ("{0}: the lesson's solution does not give a result with the columns `{1}`", "{0}: lời giải của bài không cho ra kết quả có các cột `{1}`")
        }
    }

    /// The text in `language` with `{0}`, `{1}` … replaced by `arguments`.
    public func format(_ language: Language, _ arguments: [String]) -> String {
        let template = language == .vi ? texts.vi : texts.en
        if arguments.isEmpty { return template }
        // Arguments are names, file names, cells and quotes from data: none reaches the terminal
        // as a control sequence.
        var arguments = arguments.map { UnicodeText.terminalSafe($0) }
        if language == .vi, let index = englishPhraseArgument, index < arguments.count {
            arguments[index] = MessageID.vietnamesePhrase(arguments[index])
        }
        let text = substitute(template, arguments)
        // Vietnamese nouns have no plural; English says "1 row", not "1 rows".
        return language == .en && arguments.contains("1") ? MessageID.singular(text) : text
    }

    /// The English phrases the parser and the engine pass as arguments ("expected a value or a
    /// column", "more than 10 rows") in Vietnamese; any other argument (names, numbers, quoted
    /// tokens, user text) is unchanged.
    /// Which argument is an English phrase from the parser or the engine (not user text).
    var englishPhraseArgument: Int? {
        switch self {
        case .incompleteStatement, .expectedToken: 0
        case .resultTooLarge: 2
        default: nil
        }
    }

    static func vietnamesePhrase(_ argument: String) -> String {
        switch argument {
        case "rows": return "dòng"
        case "columns": return "cột"
        case "cells": return "ô"
        case "a value or a column": return "một giá trị hoặc tên cột"
        case "a column name": return "tên cột"
        case "a column name after `as`": return "tên cột sau `as`"
        case "a table name": return "tên bảng"
        case "a name for the table": return "tên cho bảng"
        case "a new column name (derive NAME = EXPR)": return "tên cột mới (derive TÊN = BIỂU_THỨC)"
        case "what to compare by (`district` or `year`)": return "cột để so sánh (`district` hoặc `year`)"
        case "`(` after `in`": return "`(` sau `in`"
        case "`)` to close the `in` list": return "`)` để đóng danh sách `in`"
        default: break
        }
        if argument.hasPrefix("a stage ("), argument.hasSuffix(")") {
            return "một bước (" + argument.dropFirst("a stage (".count)
        }
        if argument.hasPrefix("`)` to close the call to ") {
            return "`)` để đóng lời gọi " + argument.dropFirst("`)` to close the call to ".count)
        }
        return argument
    }

    /// "1 rows" → "1 row", "1 groups" → "1 group" (not "11 rows" or "2.001 rows").
    static func singular(_ text: String) -> String {
        // Most texts have no "1 rows" at all: found in the bytes first, as the loop over
        // Characters below costs tens of thousands of instructions for a line.
        let bytes = Array(text.utf8)
        var candidate = false
        for index in bytes.indices where bytes[index] == UInt8(ascii: "1") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: " ") {
            candidate = true
            break
        }
        guard candidate else { return text }
        let characters = Array(text)
        var result = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            result.append(character)
            index += 1
            guard character == "1", index == 1 || !"0123456789.,".contains(characters[index - 2]) else { continue }
            for noun in [" row", " column", " group", " statement", " field", " value"] where characters[index...].starts(with: noun + "s") {
                let end = index + noun.count + 1
                if end == characters.count || !characters[end].isLetter {
                    result += noun
                    index = end
                }
                break
            }
        }
        return result
    }

    private func substitute(_ template: String, _ arguments: [String]) -> String {
        var result = ""
        var scalars = template.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "{" else { result.unicodeScalars.append(scalar); continue }
            var digits = ""
            var closed = false
            while let next = scalars.next() {
                if next == "}" { closed = true; break }
                digits.unicodeScalars.append(next)
            }
            if closed, let index = Int(digits), index >= 0, index < arguments.count {
                // A name or number in backticks is quoted, not echoed whole: a 100,000-letter
                // name is a paste accident, and its first 40 letters identify it. File names
                // (with a `/` or a `.`) are always shown whole.
                let argument = arguments[index]
                let isFileName = argument.contains("/") || argument.contains(".")
                result += result.hasSuffix("`") && !isFileName ? UnicodeText.clipped(argument) : argument
            } else {
                result += "{" + digits + (closed ? "}" : "")
            }
        }
        return result
    }
}
